import Foundation

/// The merchant-callback outbox, as the delivery worker and the events API use it. Events get in
/// only through the ledger that records their payment (`CallbackEvent.reporting`), in the same
/// transaction; this port claims, settles, lists and redelivers them.
public protocol CallbackOutbox: Sendable {
    /// Claims up to `limit` pending events due at `now`, oldest due first, and leases them: each
    /// is due again only at `now + lease`, so while one node attempts it no node (this one
    /// included) claims it again, and an attempt cut short by a crash is retried when the lease
    /// lapses.
    func claimDueCallbacks(now: Date, limit: Int, lease: Duration) async throws(LedgerError) -> [OutboxEntry]
    /// Stores an attempt of a claimed event and what follows it. Ignored (false) when the event
    /// was settled or claimed again meanwhile (`claimed.attempts` no longer matches).
    @discardableResult
    func settle(_ claimed: OutboxEntry, attempt: CallbackAttempt, outcome: CallbackOutcome) async throws(LedgerError) -> Bool
    /// Events in the order they were written, after the cursor `after` (a sequence).
    func callbackEvents(after: Int64?, limit: Int) async throws(LedgerError) -> [OutboxEntry]
    func callbackEvent(id: String) async throws(LedgerError) -> OutboxEntry?
    /// Up to `limit` events not delivered (pending or failed), newest first: what an operator
    /// watches, and redelivers when the merchant's endpoint is back.
    func undeliveredCallbacks(limit: Int) async throws(LedgerError) -> [OutboxEntry]
    /// The event's attempts, oldest first.
    func callbackAttempts(ofEvent id: String) async throws(LedgerError) -> [CallbackAttempt]
    /// Makes the event pending again, due now, with its schedule started afresh; nil when no
    /// event has this id.
    func redeliver(eventID id: String, now: Date) async throws(LedgerError) -> OutboxEntry?
}

/// What an attempt settles for its event.
public enum CallbackOutcome: Sendable, Hashable {
    case delivered
    /// Attempted again at this time; `refused` when the answer was a 4xx that counts toward
    /// giving up.
    case retry(at: Date, refused: Bool)
    case failed

    /// The state the event is left in.
    public var state: OutboxEntry.State {
        switch self {
        case .delivered: .delivered
        case .retry: .pending
        case .failed: .failed
        }
    }

    /// When it is attempted next, if it is.
    public var nextAttemptAt: Date? {
        if case .retry(let at, _) = self { return at }
        return nil
    }

    /// Whether the attempt counts toward the refusals that fail an event.
    public var isRefusal: Bool {
        if case .retry(_, let refused) = self { return refused }
        return false
    }
}
