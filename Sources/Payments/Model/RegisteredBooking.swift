import Foundation

/// What the merchant's backend said a booking should receive (`POST /api/bookings`). Optional:
/// without it any matched incoming transfer confirms the booking, as in the reference design.
public struct RegisteredBooking: Sendable, Hashable {
    public let bookingID: String
    /// The expected amount: a payment below it is `underpaid`.
    public let amount: Decimal
    public let currency: String
    /// The transfer memo the customer is asked to send (upper-cased), when it is not the
    /// booking id itself; a transfer naming it pays this booking.
    public let memo: String?
    public let expiresAt: Date?
    public let registeredAt: Date

    public init(bookingID: String, amount: Decimal, currency: String = "VND", memo: String? = nil, expiresAt: Date? = nil, registeredAt: Date = Date()) {
        self.bookingID = bookingID
        self.amount = amount
        self.currency = currency
        self.memo = memo?.uppercased()
        self.expiresAt = expiresAt
        self.registeredAt = registeredAt
    }

    /// The memo a transfer for this booking carries.
    public var transferMemo: String { self.memo ?? self.bookingID }
}

/// What registering a booking did.
public enum RegistrationOutcome: Sendable, Hashable {
    /// Stored (new, or replacing the booking's earlier registration).
    case registered(RegisteredBooking)
    /// Refused: another booking already uses this memo; its id.
    case memoTaken(byBooking: String)
}
