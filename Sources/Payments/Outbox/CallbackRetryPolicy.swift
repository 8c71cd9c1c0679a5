import Foundation

/// When a callback is attempted again, and when delivery gives up: exponential backoff with
/// jitter over about three days by default (as Stripe does), a 2xx ends it, a timeout, a
/// connection error, a 5xx, 408 or 429 retries; any other 4xx retries only `maximumRefusals - 1`
/// times. After the schedule's last delay has been waited and that attempt failed too, the event
/// is `failed`.
public struct CallbackRetryPolicy: Sendable, Hashable {
    /// The merchant's answer to one attempt.
    public enum Answer: Sendable, Hashable {
        case status(Int)
        /// Timeout, refused connection, reset, TLS failure…
        case noAnswer
    }

    /// The waits after the first, second, … failed attempt; `schedule.count + 1` attempts in all.
    public let schedule: [Duration]
    /// 4xx answers (other than 408/429) that make the event `failed`.
    public let maximumRefusals: Int
    /// Each wait is stretched or shrunk by up to this fraction, at random, so that events that
    /// failed together do not retry together.
    public let jitter: Double

    /// 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, 16 h, 24 h: 13 attempts over
    /// about 2.9 days.
    public static let defaultSchedule: [Duration] = [
        .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(1800), .seconds(3600),
        .seconds(7200), .seconds(14_400), .seconds(28_800), .seconds(43_200), .seconds(57_600), .seconds(86_400),
    ]

    public init(schedule: [Duration] = Self.defaultSchedule, maximumRefusals: Int = 3, jitter: Double = 0.1) {
        self.schedule = schedule
        self.maximumRefusals = max(1, maximumRefusals)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// What follows an attempt of `entry` (as it was claimed) that got `answer` at `now`.
    /// `random`: where in the jitter range this wait falls, from -1 to 1.
    public func outcome(of entry: OutboxEntry, answer: Answer, now: Date, random: Double = .random(in: -1...1)) -> CallbackOutcome {
        var refused = false
        if case .status(let code) = answer {
            if (200..<300).contains(code) { return .delivered }
            refused = (400..<500).contains(code) && code != 408 && code != 429
        }
        if refused, entry.refusals + 1 >= self.maximumRefusals { return .failed }
        guard entry.scheduledAttempts < self.schedule.count else { return .failed }
        let wait = self.schedule[entry.scheduledAttempts] / .seconds(1) * (1 + self.jitter * min(max(random, -1), 1))
        return .retry(at: now.addingTimeInterval(wait), refused: refused)
    }
}
