import Foundation

/// A payment as the ledger holds it.
public struct PaymentRecord: Sendable, Hashable {
    /// What a recorded payment means for its booking.
    public enum Role: String, Sendable, Hashable {
        /// The first successful payment: it confirmed the booking and was announced.
        case confirmation
        /// A successful payment for a booking that was already paid: kept for operators, never
        /// announced again.
        case additionalPayment = "additional"
        /// Any status other than success.
        case nonSuccess = "non-success"
    }

    public let event: PaymentEvent
    public let role: Role
    /// When the ledger stored it; for a confirmation, the confirmation time clients are shown.
    public let recordedAt: Date
    /// For a confirmation: whether its notification was handed to every node. One stored but
    /// not announced (the node failed in between) is announced when the provider retries.
    public let announced: Bool

    public init(event: PaymentEvent, role: Role, recordedAt: Date, announced: Bool = false) {
        self.event = event
        self.role = role
        self.recordedAt = recordedAt
        self.announced = announced
    }

    /// Whether this record confirms `event`'s booking and still has to be announced.
    public func needsAnnouncement(for event: PaymentEvent) -> Bool {
        self.role == .confirmation && !self.announced && self.event.bookingID == event.bookingID
    }

    /// Whether `event`, for the same transaction, is news rather than a repeat: a transaction
    /// may move on from a non-success status (`pending` → `success`, `pending` → `failed`), but
    /// a success is final and the same status again is a retry.
    public func isSuperseded(by event: PaymentEvent) -> Bool {
        !self.event.status.isSuccess && event.status != self.event.status
    }
}
