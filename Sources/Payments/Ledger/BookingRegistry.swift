/// What the merchant registered for its bookings (amount, transfer memo, expiry): written by
/// the merchant API, read to tie a transfer's memo to its booking and to check its amount.
public protocol BookingRegistry: Sendable {
    /// Stores what a booking should receive, replacing its earlier registration; refused when
    /// another booking already uses the memo.
    func register(_ booking: RegisteredBooking) async throws(LedgerError) -> RegistrationOutcome
    func registeredBooking(id bookingID: String) async throws(LedgerError) -> RegisteredBooking?
    /// The booking registered with this transfer memo (upper-cased), if any.
    func registeredBooking(memo: String) async throws(LedgerError) -> RegisteredBooking?
}
