import Foundation

/// One transaction as a provider's webhook reported it, before it is tied to a booking: the
/// reference webhook names its booking, a bank-transfer provider only carries the transfer text.
public struct ReportedTransaction: Sendable, Hashable {
    /// Where the booking is named.
    public enum Reference: Sendable, Hashable {
        /// The provider names the booking itself (the reference webhook).
        case booking(String)
        /// A bank transfer: the booking is named inside the transfer content, or in the payment
        /// code the provider already extracted from it (SePay's `code`).
        case transferContent(String, code: String?)
    }

    /// The ledger's provider name: with `transactionID`, the dedupe key.
    public var provider: String
    public var transactionID: String
    public var amount: Decimal
    public var status: PaymentStatus
    public var reference: Reference
    public var receivedAt: Date

    public init(provider: String, transactionID: String, amount: Decimal, status: PaymentStatus, reference: Reference, receivedAt: Date) {
        self.provider = provider
        self.transactionID = transactionID
        self.amount = amount
        self.status = status
        self.reference = reference
        self.receivedAt = receivedAt
    }

    /// The payment event once the booking is known.
    public func event(forBooking bookingID: String) -> PaymentEvent {
        PaymentEvent(
            provider: self.provider,
            transactionID: self.transactionID,
            bookingID: bookingID,
            amount: self.amount,
            status: self.status,
            receivedAt: self.receivedAt
        )
    }

    /// The text operators see for a transaction that names no booking.
    public var content: String {
        switch self.reference {
        case .booking(let bookingID): bookingID
        case .transferContent(let content, _): content
        }
    }
}
