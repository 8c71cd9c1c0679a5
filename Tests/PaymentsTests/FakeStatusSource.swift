import Foundation
import Payments
import Synchronization

/// A provider status API that answers from a script and records how it was asked.
actor FakeStatusSource: PaymentStatusSource {
    enum Answer: Sendable {
        case status(ProviderPaymentStatus)
        case failure
    }

    private var answers: [String: Answer] = [:]
    private var delays: [String: Duration] = [:]
    private let defaultAnswer: Answer
    private let defaultDelay: Duration?
    private let beforeAnswering: @Sendable (WatchedBooking) -> Void

    private(set) var calls: [WatchedBooking] = []
    private(set) var callTimes: [String: [ContinuousClock.Instant]] = [:]
    private(set) var inFlight = 0
    private(set) var maximumInFlight = 0
    private(set) var cancelledRequests = 0

    init(
        defaultAnswer: Answer = .status(ProviderPaymentStatus(isPaid: false)),
        delay: Duration? = nil,
        beforeAnswering: @escaping @Sendable (WatchedBooking) -> Void = { _ in }
    ) {
        self.defaultAnswer = defaultAnswer
        self.defaultDelay = delay
        self.beforeAnswering = beforeAnswering
    }

    func answer(_ bookingID: String, with answer: Answer, after delay: Duration? = nil) {
        self.answers[bookingID] = answer
        self.delays[bookingID] = delay
    }

    func callCount(_ bookingID: String) -> Int {
        self.calls.filter { $0.bookingID == bookingID }.count
    }

    func status(of booking: WatchedBooking) async throws -> ProviderPaymentStatus {
        self.calls.append(booking)
        self.callTimes[booking.bookingID, default: []].append(ContinuousClock.now)
        self.inFlight += 1
        self.maximumInFlight = max(self.maximumInFlight, self.inFlight)
        defer { self.inFlight -= 1 }
        if let delay = self.delays[booking.bookingID] ?? self.defaultDelay {
            do {
                try await Task.sleep(for: delay)
            } catch {
                self.cancelledRequests += 1
                throw error
            }
        }
        self.beforeAnswering(booking)
        switch self.answers[booking.bookingID] ?? self.defaultAnswer {
        case .status(let status): return status
        case .failure: throw ProviderResponseError("provider unavailable")
        }
    }
}

/// Collects what a poller reports as paid.
final class PaidEvents: Sendable {
    private let events = Mutex<[PaymentEvent]>([])

    func append(_ event: PaymentEvent) {
        self.events.withLock { $0.append(event) }
    }

    var all: [PaymentEvent] { self.events.withLock { $0 } }
}
