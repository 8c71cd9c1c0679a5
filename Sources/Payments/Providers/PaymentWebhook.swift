import Foundation

/// One provider's webhook: how it proves who it is, and how its body reads as transactions.
/// Every route (`/webhook/payment`, `/webhook/pay2s`, …) is one value of this protocol behind the
/// same controller, so verification, dedupe, recording and answers are the same for all.
public protocol PaymentWebhook: Sendable {
    /// The ledger's provider name for its transactions.
    static var provider: String { get }
    var access: CredentialAccess { get }
    /// The incoming transactions a body reports; outgoing transfers are left out. Throws with a
    /// message for the sender when the body is not what this provider sends.
    func transactions(in body: Data, receivedAt: Date) throws(InputValidationError) -> [ReportedTransaction]
}

extension PaymentWebhook {
    public var provider: String { Self.provider }

    /// Checks the request's credentials as `access` says.
    public func authenticate(_ request: CredentialedRequest) throws(CredentialError) -> AcceptedCredentials {
        try self.access.authenticate(request)
    }
}
