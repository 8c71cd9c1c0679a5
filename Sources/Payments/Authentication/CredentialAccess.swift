/// Who may call a route that takes a credential (a webhook, the merchant API).
public enum CredentialAccess: Sendable {
    /// Only requests the authenticator accepts.
    case authenticated(any RequestAuthenticator)
    /// Anyone: development only, and said at start-up.
    case open
    /// No one: the credential (named by this variable) is not configured.
    case closed(variable: String)

    public func authenticate(_ request: CredentialedRequest) throws(CredentialError) -> AcceptedCredentials {
        switch self {
        case .authenticated(let authenticator): return try authenticator.authenticate(request)
        case .open: return AcceptedCredentials(messageID: nil)
        case .closed(let variable): throw CredentialError(.notConfigured(variable))
        }
    }
}
