/// Payments as they are reported and announced: what payment processing and the pages'
/// subscriptions read and write.
public protocol PaymentLedger: Sendable {
    /// Stores a reported payment unless its (provider, transactionID) is already known with the
    /// same status or as a success (see `PaymentRecord.isSuperseded(by:)`); a transaction that
    /// moved on from a non-success status replaces its record. A success is first checked
    /// against its booking's registration (`PaymentEvent.checked(against:)`): `registration`
    /// when the caller already holds it, else the one stored for the booking, read in the same
    /// transaction, so that a webhook costs one ledger call. Returns only once the record is
    /// durable; throws `LedgerError` when it could not be stored.
    func record(_ reported: PaymentEvent, registration: RegisteredBooking?) async throws(LedgerError) -> RecordedPayment
    func status(ofBooking bookingID: String) async throws(LedgerError) -> BookingStatus
    /// Notes that a confirmation's notification went out, so a retry does not announce it again.
    /// May return before the note is stored: losing it costs one repeated announcement, which
    /// pages tolerate, and the webhook's answer must not wait for it.
    func markAnnounced(_ record: PaymentRecord) async throws(LedgerError)
}

extension PaymentLedger {
    /// Records a payment, checked against its booking's stored registration.
    public func record(_ event: PaymentEvent) async throws(LedgerError) -> RecordOutcome {
        try await self.record(event, registration: nil).outcome
    }
}
