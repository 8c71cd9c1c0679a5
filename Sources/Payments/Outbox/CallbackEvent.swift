import Foundation

/// An event the merchant's backend must learn of, written to the outbox in the same ledger
/// transaction as the payment (or unmatched transfer) it reports, then POSTed to
/// `MERCHANT_CALLBACK_URL` at least once.
///
/// `body` is the exact JSON posted and signed, fixed when the event is written, so every attempt
/// sends the same bytes: `{"createdAt","data":{…},"id","type"}`.
public struct CallbackEvent: Sendable, Hashable {
    /// What happened; the body's `type`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A booking's first successful payment: mark it paid.
        case paymentConfirmed = "payment.confirmed"
        /// A successful payment for a booking already paid: the customer paid twice, refund one.
        case paymentAdditional = "payment.additional"
        /// A payment below the booking's registered amount: not confirmed.
        case paymentUnderpaid = "payment.underpaid"
        /// A transfer that names no booking: reconcile it by hand.
        case transferUnmatched = "transfer.unmatched"
    }

    /// Stable: derived from the event's kind and its transaction, so the merchant can
    /// deduplicate on it (`webhook-id` carries it too).
    public let id: String
    public let kind: Kind
    /// The booking it concerns; nil for an unmatched transfer.
    public let bookingID: String?
    public let createdAt: Date
    public let body: String

    public init(id: String, kind: Kind, bookingID: String?, createdAt: Date, body: String) {
        self.id = id
        self.kind = kind
        self.bookingID = bookingID
        self.createdAt = createdAt
        self.body = body
    }
}
