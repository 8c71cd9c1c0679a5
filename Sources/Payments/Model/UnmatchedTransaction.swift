import Foundation

/// An incoming transfer that names no booking (no memo code, or one the customer mistyped).
/// The money arrived, so it is kept for operators to reconcile by hand, never dropped.
public struct UnmatchedTransaction: Sendable, Hashable {
    public let provider: String
    public let transactionID: String
    public let amount: Decimal
    /// The transfer content as the bank carried it.
    public let content: String
    /// Why no booking was found, for operators.
    public let reason: String
    public let receivedAt: Date
    public let recordedAt: Date

    public init(provider: String, transactionID: String, amount: Decimal, content: String, reason: String, receivedAt: Date, recordedAt: Date = Date()) {
        self.provider = provider
        self.transactionID = transactionID
        self.amount = amount
        self.content = content
        self.reason = reason
        self.receivedAt = receivedAt
        self.recordedAt = recordedAt
    }
}
