/// Checks a request's credentials: a webhook's signature over its body, or a shared token in
/// the `Authorization` header (webhooks of some providers, the merchant API, `/metrics`).
public protocol RequestAuthenticator: Sendable {
    func authenticate(_ request: CredentialedRequest) throws(CredentialError) -> AcceptedCredentials
}
