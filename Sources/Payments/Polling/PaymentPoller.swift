import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Asks the provider's status API about watched, unpaid bookings: the alternative to webhooks
/// for providers that have none, and a safety net for webhooks that never come.
///
/// Each booking is asked at most every `interval`, with at most `maximumConcurrentRequests` in
/// flight and a time limit per request; a failing booking backs off exponentially up to
/// `maximumBackoff`. A paid answer goes to `onPaid`, the same record → notify path as webhooks,
/// which says whether the payment settled the booking; one that did not (it could not be
/// stored, or the provider's transaction id is already recorded for another booking) counts as
/// a failure, so it is retried with backoff rather than every interval.
public final class PaymentPoller: Service {
    public struct Configuration: Sendable {
        public var interval: Duration
        public var maximumConcurrentRequests: Int
        public var requestTimeout: Duration
        public var maximumBackoff: Duration
        /// The provider name paid answers are recorded under.
        public var provider: String

        public init(
            interval: Duration = .seconds(10),
            maximumConcurrentRequests: Int = 4,
            requestTimeout: Duration = .seconds(5),
            maximumBackoff: Duration = .seconds(300),
            provider: String = GenericWebhookParser.provider
        ) {
            self.interval = interval
            self.maximumConcurrentRequests = maximumConcurrentRequests
            self.requestTimeout = requestTimeout
            self.maximumBackoff = maximumBackoff
            self.provider = provider
        }
    }

    private struct Schedule {
        var nextPoll: ContinuousClock.Instant
        var consecutiveFailures = 0
    }

    public let configuration: Configuration
    private let source: any PaymentStatusSource
    private let watchList: BookingWatchList
    private let lease: any PollLease
    private let onPaid: @Sendable (PaymentEvent) async -> Bool
    private let logger: Logger
    private let schedules = Mutex<[String: Schedule]>([:])
    private let clock = ContinuousClock()

    public init(
        configuration: Configuration,
        source: any PaymentStatusSource,
        watchList: BookingWatchList,
        lease: any PollLease = LocalPollLease(),
        logger: Logger,
        onPaid: @escaping @Sendable (PaymentEvent) async -> Bool
    ) {
        self.configuration = configuration
        self.source = source
        self.watchList = watchList
        self.lease = lease
        self.logger = logger
        self.onPaid = onPaid
    }

    public func run() async throws {
        let tick = min(self.configuration.interval, .seconds(1))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pollDueBookings()
                // Cancellation (shutdown) ends the sleep early; the loop then stops without error.
                try? await Task.sleep(for: tick)
            }
        }
    }

    /// Polls every watched booking whose turn has come, and forgets bookings no longer watched.
    public func pollDueBookings() async {
        let now = self.clock.now
        let watched = self.watchList.awaitingPayment
        let due: [WatchedBooking] = self.schedules.withLock { schedules in
            let watchedIDs = Set(watched.map(\.bookingID))
            schedules = schedules.filter { watchedIDs.contains($0.key) }
            return watched.filter { booking in
                // A booking just watched is asked at once: its page may have been opened after paying.
                guard let schedule = schedules[booking.bookingID] else { return true }
                return schedule.nextPoll <= now
            }
        }
        guard !due.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for booking in due {
                if inFlight == self.configuration.maximumConcurrentRequests {
                    await group.next()
                    inFlight -= 1
                }
                group.addTask { await self.poll(booking) }
                inFlight += 1
            }
        }
    }

    private func poll(_ booking: WatchedBooking) async {
        var logger = self.logger
        logger[metadataKey: "booking"] = .string(booking.bookingID)
        // In a cluster another node may hold this booking; it is asked again next interval.
        guard await self.lease.acquire(bookingID: booking.bookingID, for: self.configuration.interval * 3) else {
            self.reschedule(booking.bookingID, failed: false)
            return
        }
        do {
            let status = try await self.askWithTimeout(booking)
            logger.debug("Polled payment status", metadata: ["paid": "\(status.isPaid)"])
            guard status.isPaid, self.watchList.isAwaitingPayment(bookingID: booking.bookingID) else {
                self.reschedule(booking.bookingID, failed: false)
                return
            }
            let event = PaymentEvent(
                provider: self.configuration.provider,
                // Without the provider's id, the transfer is identified by its memo: one transfer
                // can then confirm only one booking, whatever memos pages ask about.
                transactionID: status.transactionID ?? "poll-memo-\(booking.memo)",
                bookingID: booking.bookingID,
                amount: status.amount ?? 0,
                status: .success
            )
            let settled = await self.onPaid(event)
            let delay = self.reschedule(booking.bookingID, failed: !settled)
            if !settled {
                logger.warning("Paid answer did not settle the booking", metadata: ["transaction": .string(event.transactionID), "retryIn": "\(delay)"])
            }
        } catch {
            let backoff = self.reschedule(booking.bookingID, failed: true)
            logger.warning("Polling payment status failed", metadata: ["error": "\(error)", "retryIn": "\(backoff)"])
        }
    }

    private func askWithTimeout(_ booking: WatchedBooking) async throws -> ProviderPaymentStatus {
        try await withThrowingTaskGroup(of: ProviderPaymentStatus?.self) { group in
            group.addTask { try await self.source.status(of: booking) }
            group.addTask {
                try await Task.sleep(for: self.configuration.requestTimeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let status = first else {
                throw ProviderResponseError("no answer within \(self.configuration.requestTimeout)")
            }
            return status
        }
    }

    /// Sets the booking's next turn; returns the delay chosen.
    @discardableResult
    private func reschedule(_ bookingID: String, failed: Bool) -> Duration {
        self.schedules.withLock { schedules in
            var schedule = schedules[bookingID] ?? Schedule(nextPoll: self.clock.now)
            schedule.consecutiveFailures = failed ? schedule.consecutiveFailures + 1 : 0
            let delay = Self.delay(
                afterFailures: schedule.consecutiveFailures,
                interval: self.configuration.interval,
                maximum: self.configuration.maximumBackoff
            )
            schedule.nextPoll = self.clock.now + delay
            schedules[bookingID] = schedule
            return delay
        }
    }

    /// `interval` after a success; doubling per consecutive failure, capped at `maximum`.
    static func delay(afterFailures failures: Int, interval: Duration, maximum: Duration) -> Duration {
        guard failures > 0 else { return interval }
        let factor = 1 << min(failures, 20)
        return min(interval * factor, max(maximum, interval))
    }
}
