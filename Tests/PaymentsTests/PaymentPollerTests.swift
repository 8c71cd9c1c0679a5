import Foundation
import Testing

@testable import Payments

@Suite("Payment poller")
struct PaymentPollerTests {
    let watchList = BookingWatchList()
    let paid = PaidEvents()

    /// Runs polling rounds until `source` was asked about `booking` `times` times (20 s at most).
    func pollUntil(_ poller: PaymentPoller, hasAsked booking: String, times: Int, source: FakeStatusSource) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while await source.callCount(booking) < times, ContinuousClock.now < deadline {
            await poller.pollDueBookings()
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func makePoller(
        source: FakeStatusSource,
        interval: Duration = .seconds(3600),
        maximumConcurrentRequests: Int = 4,
        requestTimeout: Duration = .seconds(30),
        maximumBackoff: Duration = .seconds(300),
        provider: String = "generic",
        settles: Bool = true
    ) -> PaymentPoller {
        let paid = self.paid
        return PaymentPoller(
            configuration: .init(
                interval: interval,
                maximumConcurrentRequests: maximumConcurrentRequests,
                requestTimeout: requestTimeout,
                maximumBackoff: maximumBackoff,
                provider: provider
            ),
            source: source,
            watchList: self.watchList,
            logger: quietLogger,
            onPaid: { event in
                paid.append(event)
                return settles
            }
        )
    }

    // MARK: Which bookings are asked, and when

    @Test("A newly watched booking is asked at once, with its memo, and not again before its interval")
    func newlyWatchedAskedOnce() async {
        let source = FakeStatusSource()
        let poller = makePoller(source: source, interval: .seconds(3600))
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "memo-1"))

        await poller.pollDueBookings()
        #expect(await source.calls == [WatchedBooking(bookingID: "b1", memo: "memo-1")])

        await poller.pollDueBookings()
        await poller.pollDueBookings()
        #expect(await source.calls.count == 1)
    }

    @Test("With a very short interval, each round asks each watched booking once")
    func shortIntervalAsksEveryRound() async throws {
        let source = FakeStatusSource()
        let poller = makePoller(source: source, interval: .milliseconds(1))
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        watchList.watch(WatchedBooking(bookingID: "b2", memo: "b2"))

        for _ in 0..<3 {
            await poller.pollDueBookings()
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await source.callCount("b1") == 3)
        #expect(await source.callCount("b2") == 3)
    }

    @Test("Only watched, unpaid bookings are asked")
    func onlyWatchedUnpaid() async throws {
        let source = FakeStatusSource()
        let poller = makePoller(source: source, interval: .milliseconds(1))
        watchList.watch(WatchedBooking(bookingID: "waiting", memo: "waiting"))
        watchList.watch(WatchedBooking(bookingID: "paid", memo: "paid"))
        watchList.watch(WatchedBooking(bookingID: "left", memo: "left"))
        watchList.unwatch(bookingID: "left")
        watchList.markPaid(bookingID: "paid")

        await poller.pollDueBookings()
        #expect(await source.calls.map(\.bookingID) == ["waiting"])

        watchList.unwatch(bookingID: "waiting")
        try await Task.sleep(for: .milliseconds(20))
        await poller.pollDueBookings()
        #expect(await source.calls.count == 1)
    }

    @Test("A booking watched again after its last watcher left is asked at once")
    func rewatchedAskedAtOnce() async {
        let source = FakeStatusSource()
        let poller = makePoller(source: source, interval: .seconds(3600))
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        await poller.pollDueBookings()
        watchList.unwatch(bookingID: "b1")
        await poller.pollDueBookings()
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        await poller.pollDueBookings()
        #expect(await source.callCount("b1") == 2)
    }

    // MARK: Answers

    @Test(
        "A paid answer is reported as a successful payment event",
        arguments: [
            (ProviderPaymentStatus(isPaid: true, transactionID: "T-1", amount: decimal("10.5")), "T-1", decimal("10.5")),
            (ProviderPaymentStatus(isPaid: true, transactionID: nil, amount: 500_000), "poll-memo-memo-1", Decimal(500_000)),
        ]
    )
    func paidAnswerReported(answer: ProviderPaymentStatus, transactionID: String, amount: Decimal) async throws {
        let source = FakeStatusSource(defaultAnswer: .status(answer))
        let poller = makePoller(source: source, provider: "sepay")
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "memo-1"))

        await poller.pollDueBookings()

        let event = try #require(paid.all.first)
        #expect(paid.all.count == 1)
        #expect(event.provider == "sepay")
        #expect(event.transactionID == transactionID)
        #expect(event.bookingID == "b1")
        #expect(event.amount == amount)
        #expect(event.status == .success)
    }

    @Test("An unpaid answer reports nothing")
    func unpaidAnswer() async {
        let source = FakeStatusSource(defaultAnswer: .status(ProviderPaymentStatus(isPaid: false, transactionID: "T", amount: 1)))
        let poller = makePoller(source: source)
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        await poller.pollDueBookings()
        #expect(await source.calls.count == 1)
        #expect(paid.all.isEmpty)
    }

    @Test("A paid answer for a booking marked paid meanwhile is not reported again")
    func paidMeanwhile() async {
        let watchList = self.watchList
        let source = FakeStatusSource(
            defaultAnswer: .status(ProviderPaymentStatus(isPaid: true, transactionID: "T", amount: 1)),
            beforeAnswering: { booking in
                // The webhook won the race while the status request was in flight.
                if booking.bookingID == "b1" { watchList.markPaid(bookingID: "b1") }
            }
        )
        let poller = makePoller(source: source)
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        watchList.watch(WatchedBooking(bookingID: "b2", memo: "b2"))

        await poller.pollDueBookings()

        #expect(await source.calls.count == 2)
        #expect(paid.all.map(\.bookingID) == ["b2"])
    }

    // MARK: Failures

    @Test(
        "Backoff doubles per consecutive failure, capped at the maximum",
        arguments: [
            (0, Duration.seconds(10), Duration.seconds(300), Duration.seconds(10)),
            (1, .seconds(10), .seconds(300), .seconds(20)),
            (2, .seconds(10), .seconds(300), .seconds(40)),
            (3, .seconds(10), .seconds(300), .seconds(80)),
            (5, .seconds(10), .seconds(300), .seconds(300)),
            (64, .seconds(10), .seconds(300), .seconds(300)),
            (1_000_000, .seconds(3600), .seconds(86_400), .seconds(86_400)),
            (3, .milliseconds(100), .seconds(300), .milliseconds(800)),
            // A maximum below the interval never makes a failing booking asked more often.
            (0, .seconds(10), .seconds(5), .seconds(10)),
            (3, .seconds(10), .seconds(5), .seconds(10)),
        ]
    )
    func backoff(failures: Int, interval: Duration, maximum: Duration, expected: Duration) {
        #expect(PaymentPoller.delay(afterFailures: failures, interval: interval, maximum: maximum) == expected)
    }

    @Test("A failing booking backs off while a healthy one keeps its interval")
    func failingBookingBacksOff() async throws {
        let source = FakeStatusSource()
        await source.answer("failing", with: .failure)
        let poller = makePoller(source: source, interval: .milliseconds(100), maximumBackoff: .seconds(10))
        watchList.watch(WatchedBooking(bookingID: "failing", memo: "failing"))
        watchList.watch(WatchedBooking(bookingID: "healthy", memo: "healthy"))

        try await pollUntil(poller, hasAsked: "failing", times: 3, source: source)

        let failing = await source.callTimes["failing"] ?? []
        let healthy = await source.callTimes["healthy"] ?? []
        try #require(failing.count == 3, "the failing booking is asked again once its backoff is over")
        #expect(failing[1] - failing[0] >= .milliseconds(200), "one failure: twice the interval")
        #expect(failing[2] - failing[1] >= .milliseconds(400), "two failures: four times the interval")
        #expect(healthy.count >= failing.count)
        for (earlier, later) in zip(healthy, healthy.dropFirst()) {
            #expect(later - earlier >= .milliseconds(100))
        }
        #expect(paid.all.isEmpty)
    }

    @Test("A failed booking is not asked again in the next round")
    func failedNotAskedImmediately() async {
        let source = FakeStatusSource(defaultAnswer: .failure)
        let poller = makePoller(source: source, interval: .seconds(60))
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "b1"))
        await poller.pollDueBookings()
        await poller.pollDueBookings()
        #expect(await source.calls.count == 1)
        #expect(paid.all.isEmpty)
    }

    @Test("An answer slower than the request timeout is abandoned as a failure")
    func slowAnswerTimesOut() async {
        let source = FakeStatusSource(defaultAnswer: .status(ProviderPaymentStatus(isPaid: true, transactionID: "T", amount: 1)))
        await source.answer(
            "slow",
            with: .status(ProviderPaymentStatus(isPaid: true, transactionID: "T-slow", amount: 1)),
            after: .seconds(30)
        )
        let poller = makePoller(source: source, interval: .seconds(60), requestTimeout: .milliseconds(50))
        watchList.watch(WatchedBooking(bookingID: "slow", memo: "slow"))
        watchList.watch(WatchedBooking(bookingID: "fast", memo: "fast"))

        await poller.pollDueBookings()

        #expect(paid.all.map(\.bookingID) == ["fast"], "the slow paid answer is not reported, the fast one is")
        #expect(await source.cancelledRequests == 1, "the slow request is cancelled, not left running")
        await poller.pollDueBookings()
        #expect(await source.callCount("slow") == 1)
    }

    @Test("A paid answer that did not settle the booking is retried with backoff")
    func unsettledPaidAnswerBacksOff() async throws {
        let source = FakeStatusSource(defaultAnswer: .status(ProviderPaymentStatus(isPaid: true, transactionID: "T", amount: 1)))
        let poller = makePoller(source: source, interval: .milliseconds(100), maximumBackoff: .seconds(10), settles: false)
        watchList.watch(WatchedBooking(bookingID: "b1", memo: "b1"))

        try await pollUntil(poller, hasAsked: "b1", times: 3, source: source)

        let times = await source.callTimes["b1"] ?? []
        try #require(times.count == 3)
        #expect(times[1] - times[0] >= .milliseconds(200))
        #expect(times[2] - times[1] >= .milliseconds(400))
        #expect(paid.all.count == 3, "each paid answer is handed over again")
    }

    // MARK: Concurrency

    @Test("No more requests are in flight than allowed, and every due booking is asked", arguments: [1, 2, 3])
    func boundedConcurrency(limit: Int) async {
        let source = FakeStatusSource(delay: .milliseconds(20))
        let poller = makePoller(source: source, maximumConcurrentRequests: limit)
        let bookings = (0..<10).map { WatchedBooking(bookingID: "b\($0)", memo: "m\($0)") }
        for booking in bookings { watchList.watch(booking) }

        await poller.pollDueBookings()

        let calls = await source.calls
        #expect(calls.count == 10)
        #expect(Set(calls) == Set(bookings))
        #expect(await source.maximumInFlight <= limit)
        #expect(await source.maximumInFlight >= 1)
        #expect(await source.inFlight == 0, "pollDueBookings returns once every request is done")
    }
}
