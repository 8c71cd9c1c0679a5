import Foundation
import Payments
import Testing

@Suite("Callback retry policy")
struct CallbackRetryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let policy = CallbackRetryPolicy(schedule: [.seconds(5), .seconds(30), .seconds(120)], maximumRefusals: 3, jitter: 0)

    func entry(scheduled: Int = 0, refusals: Int = 0) -> OutboxEntry {
        OutboxEntry(
            event: CallbackEvent(id: "evt_1", kind: .paymentConfirmed, bookingID: "b", createdAt: self.now, body: "{}"),
            sequence: 1, state: .pending, attempts: scheduled + 1, scheduledAttempts: scheduled, refusals: refusals, nextAttemptAt: nil
        )
    }

    @Test("Any 2xx delivers", arguments: [200, 201, 202, 204, 299])
    func success(code: Int) {
        #expect(self.policy.outcome(of: self.entry(), answer: .status(code), now: self.now) == .delivered)
    }

    @Test("Timeouts, connection errors, 5xx, 408 and 429 retry after the scheduled wait, not counted as refusals")
    func transientFailuresRetry() {
        for answer: CallbackRetryPolicy.Answer in [.noAnswer, .status(500), .status(503), .status(408), .status(429), .status(301)] {
            #expect(self.policy.outcome(of: self.entry(), answer: answer, now: self.now) == .retry(at: self.now.addingTimeInterval(5), refused: false))
            #expect(self.policy.outcome(of: self.entry(scheduled: 2), answer: answer, now: self.now) == .retry(at: self.now.addingTimeInterval(120), refused: false))
        }
    }

    @Test("The waits follow the schedule; after its last wait's attempt fails, the event fails")
    func scheduleIsFollowedThenFails() {
        let waits = (0..<3).map { scheduled -> TimeInterval? in
            guard case .retry(let at, _) = self.policy.outcome(of: self.entry(scheduled: scheduled), answer: .status(500), now: self.now) else { return nil }
            return at.timeIntervalSince(self.now)
        }
        #expect(waits == [5, 30, 120])
        #expect(self.policy.outcome(of: self.entry(scheduled: 3), answer: .status(500), now: self.now) == .failed)
    }

    @Test("Other 4xx retry, counted, until the third refusal fails the event", arguments: [400, 401, 404, 410, 422])
    func refusalsStop(code: Int) {
        #expect(self.policy.outcome(of: self.entry(), answer: .status(code), now: self.now) == .retry(at: self.now.addingTimeInterval(5), refused: true))
        #expect(self.policy.outcome(of: self.entry(scheduled: 1, refusals: 1), answer: .status(code), now: self.now) == .retry(at: self.now.addingTimeInterval(30), refused: true))
        #expect(self.policy.outcome(of: self.entry(scheduled: 2, refusals: 2), answer: .status(code), now: self.now) == .failed)
    }

    @Test("Jitter stretches or shrinks a wait by at most its fraction")
    func jitterBounds() {
        let jittered = CallbackRetryPolicy(schedule: [.seconds(100)], jitter: 0.1)
        for random in [-1.0, -0.5, 0, 0.5, 1, 7] {
            guard case .retry(let at, _) = jittered.outcome(of: self.entry(), answer: .noAnswer, now: self.now, random: random) else {
                Issue.record("expected a retry")
                return
            }
            #expect((90...110).contains(at.timeIntervalSince(self.now)))
        }
    }

    @Test("The default schedule retries 12 times over about three days")
    func defaultSchedule() {
        let total = CallbackRetryPolicy.defaultSchedule.reduce(Duration.zero, +)
        #expect(CallbackRetryPolicy.defaultSchedule.count == 12)
        #expect(total > .seconds(2.5 * 86_400) && total < .seconds(3.5 * 86_400))
    }
}
