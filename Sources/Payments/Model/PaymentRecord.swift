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

    public init(event: PaymentEvent, role: Role, recordedAt: Date) {
        self.event = event
        self.role = role
        self.recordedAt = recordedAt
    }

    /// Whether `event`, for the same transaction, is news rather than a repeat: a transaction
    /// may move on from a non-success status (`pending` → `success`, `pending` → `failed`), but
    /// a success is final and the same status again is a retry.
    public func isSuperseded(by event: PaymentEvent) -> Bool {
        !self.event.status.isSuccess && event.status != self.event.status
    }
}
