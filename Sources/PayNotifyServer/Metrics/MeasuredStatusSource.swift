import Payments

/// The provider's status API with each call counted by outcome (paid, unpaid, failed) for
/// `paynotify_poller_requests_total`. A call the poller gives up on (its timeout) counts as failed.
struct MeasuredStatusSource: PaymentStatusSource {
    let source: any PaymentStatusSource
    let metrics: PayNotifyMetrics

    func status(of booking: WatchedBooking) async throws -> ProviderPaymentStatus {
        do {
            let status = try await self.source.status(of: booking)
            self.metrics.pollerRequested(status.isPaid ? .paid : .unpaid)
            return status
        } catch {
            self.metrics.pollerRequested(.failed)
            throw error
        }
    }
}
