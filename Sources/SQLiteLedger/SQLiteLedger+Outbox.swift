import Foundation
import GRDB
import Payments

/// The callback outbox in the SQLite ledger: table `callback_event` (one row per event, its
/// delivery state and counters; `sequence` is the events API's cursor) and `callback_attempt`
/// (one row per attempt). Events are inserted only by the write that records their payment.
extension SQLiteLedger: CallbackOutbox {
    static let outboxSchema = """
        CREATE TABLE callback_event (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            booking_id TEXT,
            created_at REAL NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            scheduled_attempts INTEGER NOT NULL DEFAULT 0,
            refusals INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL
        );
        CREATE INDEX callback_event_due ON callback_event(next_attempt_at) WHERE state = 'pending';
        CREATE INDEX callback_event_by_age ON callback_event(created_at);
        CREATE TABLE callback_attempt (
            event_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            started_at REAL NOT NULL,
            status_code INTEGER,
            error TEXT,
            duration_ms INTEGER NOT NULL,
            PRIMARY KEY (event_id, number)
        );
        """

    /// The operator's list of undelivered events, without a scan of the delivered ones.
    static let undeliveredIndex = "CREATE INDEX callback_event_undelivered ON callback_event(sequence) WHERE state != 'delivered'"

    /// Written pending and due at once; a second insert of the same event id is a no-op.
    static func insert(_ event: CallbackEvent, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO callback_event (id, type, booking_id, created_at, body, state, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?)
                """
        ).execute(arguments: [event.id, event.kind.rawValue, event.bookingID, event.createdAt.timeIntervalSince1970, event.body, event.createdAt.timeIntervalSince1970])
    }

    /// Settled events written before `date`, with their attempts; pending ones stay.
    static func pruneOutbox(_ db: Database, before date: Date) throws {
        try db.execute(sql: "DELETE FROM callback_event WHERE created_at < ? AND state != 'pending'", arguments: [date.timeIntervalSince1970])
        try db.execute(sql: "DELETE FROM callback_attempt WHERE event_id NOT IN (SELECT id FROM callback_event)")
    }

    public func claimDueCallbacks(now: Date, limit: Int, lease: Duration) async throws(LedgerError) -> [OutboxEntry] {
        do {
            // The worker asks often: when nothing is due, a read answers without a write transaction.
            let anyDue = try await self.database.read { db in
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM callback_event WHERE state = 'pending' AND next_attempt_at <= ?)"),
                    arguments: [now.timeIntervalSince1970]
                ) ?? false
            }
            guard anyDue else { return [] }
            // Losing a claim in a crash only makes the event due sooner: no fsync needed.
            return try await self.writer.write(.crashSafe) { db in
                let due = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM callback_event WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, sequence LIMIT ?"),
                    arguments: [now.timeIntervalSince1970, limit]
                ).map(Self.entry(from:))
                let leaseEnd = now.addingTimeInterval(lease / .seconds(1)).timeIntervalSince1970
                return try due.map { entry in
                    try db.cachedStatement(sql: "UPDATE callback_event SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?").execute(
                        arguments: [leaseEnd, entry.event.id]
                    )
                    return OutboxEntry(
                        event: entry.event, sequence: entry.sequence, state: .pending, attempts: entry.attempts + 1,
                        scheduledAttempts: entry.scheduledAttempts, refusals: entry.refusals, nextAttemptAt: Date(timeIntervalSince1970: leaseEnd)
                    )
                }
            }
        } catch {
            throw LedgerError(operation: "claim callbacks", underlying: error)
        }
    }

    @discardableResult
    public func settle(_ claimed: OutboxEntry, attempt: CallbackAttempt, outcome: CallbackOutcome) async throws(LedgerError) -> Bool {
        let (state, next, refused) = (outcome.state, outcome.nextAttemptAt, outcome.isRefusal)
        do {
            // A lost settlement is an attempt made again: at least once, never zero.
            return try await self.writer.write(.crashSafe) { db in
                try db.cachedStatement(
                    sql: """
                        UPDATE callback_event SET state = ?, next_attempt_at = ?, scheduled_attempts = scheduled_attempts + 1, refusals = refusals + ?
                        WHERE id = ? AND attempts = ? AND state = 'pending'
                        """
                ).execute(arguments: [state.rawValue, next?.timeIntervalSince1970, refused ? 1 : 0, claimed.event.id, claimed.attempts])
                guard db.changesCount == 1 else { return false }
                try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO callback_attempt (event_id, number, started_at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)"
                ).execute(arguments: [claimed.event.id, attempt.number, attempt.startedAt.timeIntervalSince1970, attempt.statusCode, attempt.error, attempt.milliseconds])
                return true
            }
        } catch {
            throw LedgerError(operation: "settle callback", underlying: error)
        }
    }

    public func callbackEvents(after: Int64?, limit: Int) async throws(LedgerError) -> [OutboxEntry] {
        do {
            return try await self.database.read { db in
                try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM callback_event WHERE sequence > ? ORDER BY sequence LIMIT ?"),
                    arguments: [after ?? 0, limit]
                ).map(Self.entry(from:))
            }
        } catch {
            throw LedgerError(operation: "read callback events", underlying: error)
        }
    }

    public func callbackEvent(id: String) async throws(LedgerError) -> OutboxEntry? {
        do {
            return try await self.database.read { db in
                try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM callback_event WHERE id = ?"), arguments: [id]).map(Self.entry(from:))
            }
        } catch {
            throw LedgerError(operation: "read callback event", underlying: error)
        }
    }

    public func undeliveredCallbacks(limit: Int) async throws(LedgerError) -> [OutboxEntry] {
        do {
            return try await self.database.read { db in
                try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM callback_event WHERE state != 'delivered' ORDER BY sequence DESC LIMIT ?"),
                    arguments: [limit]
                ).map(Self.entry(from:))
            }
        } catch {
            throw LedgerError(operation: "read undelivered callbacks", underlying: error)
        }
    }

    public func callbackAttempts(ofEvent id: String) async throws(LedgerError) -> [CallbackAttempt] {
        do {
            return try await self.database.read { db in
                try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM callback_attempt WHERE event_id = ? ORDER BY number"), arguments: [id]).map { row in
                    CallbackAttempt(
                        number: row["number"],
                        startedAt: Date(timeIntervalSince1970: row["started_at"]),
                        statusCode: row["status_code"],
                        error: row["error"],
                        duration: .milliseconds(row["duration_ms"] as Int64)
                    )
                }
            }
        } catch {
            throw LedgerError(operation: "read callback attempts", underlying: error)
        }
    }

    public func redeliver(eventID id: String, now: Date) async throws(LedgerError) -> OutboxEntry? {
        do {
            return try await self.writer.write { db in
                try db.cachedStatement(
                    sql: "UPDATE callback_event SET state = 'pending', next_attempt_at = ?, scheduled_attempts = 0, refusals = 0 WHERE id = ?"
                ).execute(arguments: [now.timeIntervalSince1970, id])
                return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM callback_event WHERE id = ?"), arguments: [id]).map(Self.entry(from:))
            }
        } catch {
            throw LedgerError(operation: "redeliver callback", underlying: error)
        }
    }

    private static func entry(from row: Row) throws -> OutboxEntry {
        let typeText: String = row["type"]
        let stateText: String = row["state"]
        guard let kind = CallbackEvent.Kind(rawValue: typeText), let state = OutboxEntry.State(rawValue: stateText) else {
            throw DatabaseError(message: "stored callback event type '\(typeText)' or state '\(stateText)' is unknown")
        }
        return OutboxEntry(
            event: CallbackEvent(id: row["id"], kind: kind, bookingID: row["booking_id"], createdAt: Date(timeIntervalSince1970: row["created_at"]), body: row["body"]),
            sequence: row["sequence"],
            state: state,
            attempts: row["attempts"],
            scheduledAttempts: row["scheduled_attempts"],
            refusals: row["refusals"],
            nextAttemptAt: (row["next_attempt_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        )
    }
}
