import Foundation

/// A callback event as the outbox holds it: the event and how its delivery stands.
public struct OutboxEntry: Sendable, Hashable {
    /// Where delivery stands.
    public enum State: String, Sendable, Hashable {
        /// Not yet delivered; attempted again at `nextAttemptAt`.
        case pending
        /// The merchant answered 2xx.
        case delivered
        /// Every attempt of its schedule failed, or the merchant refused it (4xx) too often.
        case failed
    }

    public let event: CallbackEvent
    /// Increasing in the order events were written: the cursor of `GET /api/events`.
    public let sequence: Int64
    public let state: State
    /// Attempts made so far, redeliveries included.
    public let attempts: Int
    /// Attempts since the event was written or last redelivered: its place in the schedule.
    public let scheduledAttempts: Int
    /// 4xx answers (other than 408/429) since then.
    public let refusals: Int
    /// When the next attempt is due (or, while one is in flight, when its lease lapses); nil
    /// once delivered or failed.
    public let nextAttemptAt: Date?

    public init(event: CallbackEvent, sequence: Int64, state: State, attempts: Int, scheduledAttempts: Int, refusals: Int, nextAttemptAt: Date?) {
        self.event = event
        self.sequence = sequence
        self.state = state
        self.attempts = attempts
        self.scheduledAttempts = scheduledAttempts
        self.refusals = refusals
        self.nextAttemptAt = nextAttemptAt
    }
}
