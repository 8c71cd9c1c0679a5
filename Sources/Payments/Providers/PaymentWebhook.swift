import Foundation

/// One provider's webhook: how it proves who it is, and how its body reads as transactions.
/// Every route (`/webhook/payment`, `/webhook/pay2s`, …) is one value of this protocol behind the
/// same controller, so verification, dedupe, recording and answers are the same for all.
public protocol PaymentWebhook: Sendable {
    /// The ledger's provider name for its transactions.
    static var provider: String { get }
    var access: WebhookAccess { get }
    /// The incoming transactions a body reports; outgoing transfers are left out. Throws with a
    /// message for the sender when the body is not what this provider sends.
    func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction]
}

extension PaymentWebhook {
    public var provider: String { Self.provider }

    /// Checks the request's credentials as `access` says.
    public func authenticate(_ request: WebhookRequest) throws(WebhookAuthenticationError) -> WebhookAuthentication {
        try self.access.authenticate(request)
    }
}

/// Who may call a route that takes a credential (a webhook, the merchant API).
public enum WebhookAccess: Sendable {
    /// Only requests the authenticator accepts.
    case authenticated(any WebhookAuthenticator)
    /// Anyone: development only, and said at start-up.
    case open
    /// No one: the credential (named by this variable) is not configured.
    case closed(variable: String)

    public func authenticate(_ request: WebhookRequest) throws(WebhookAuthenticationError) -> WebhookAuthentication {
        switch self {
        case .authenticated(let authenticator): return try authenticator.authenticate(request)
        case .open: return WebhookAuthentication(messageID: nil)
        case .closed(let variable): throw WebhookAuthenticationError(.notConfigured(variable))
        }
    }
}
