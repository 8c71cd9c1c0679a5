/// A provider's payment status API, asked about one booking at a time.
public protocol PaymentStatusSource: Sendable {
    func status(of booking: WatchedBooking) async throws -> ProviderPaymentStatus
}
