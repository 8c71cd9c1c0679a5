import Foundation
import GRDB
import Logging
import Payments
import ServiceLifecycle

/// The embedded ledger: one SQLite file in WAL mode, written with `synchronous = FULL` so a
/// recorded payment survives a crash or power loss the moment `record` returns.
///
/// The statements on the webhook and subscription paths are cached (prepared once per
/// connection): compiling them on every call was a visible share of a webhook's CPU time.
///
/// Idempotency comes from the primary key (provider, transaction id) and from doing the lookup
/// and write in one write transaction (SQLite has a single writer), so two deliveries of the
/// same webhook racing each other still record it once.
///
/// Writes are group-committed (`GroupCommitWriter`): under load, the payments that arrive while
/// one transaction is being made durable share the next one and its single fsync.
public final class SQLiteLedger: Ledger {
    let database: DatabasePool
    /// Every write goes through it, batched with the writes that arrive meanwhile.
    let writer: GroupCommitWriter
    private let logger: Logger
    /// Whether recording a payment also writes its merchant callback event (the outbox).
    let writesCallbacks: Bool

    /// Opens (creating if needed) the ledger at `path`. `busyTimeout`: how long a write waits
    /// while another process holds the database before it fails (and the webhook answers 503).
    /// `writesCallbacks`: whether each payment and unmatched transfer that calls for a merchant
    /// callback writes its event, in the transaction that records it.
    public convenience init(path: String, logger: Logger, busyTimeout: TimeInterval = 5, writesCallbacks: Bool = false) throws(LedgerError) {
        try self.init(path: path, logger: logger, busyTimeout: busyTimeout, writesCallbacks: writesCallbacks, deferralLimit: .milliseconds(25))
    }

    /// `deferralLimit`: how long a write nobody waits for (an announced flag) waits to share a
    /// later write's transaction; tests lengthen it.
    init(path: String, logger: Logger, busyTimeout: TimeInterval, writesCallbacks: Bool, deferralLimit: DispatchTimeInterval) throws(LedgerError) {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(busyTimeout)
        self.logger = logger
        self.writesCallbacks = writesCallbacks
        do {
            self.database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(self.database)
            self.writer = GroupCommitWriter(database: self.database, deferralLimit: deferralLimit)
        } catch {
            throw LedgerError(operation: "open \(path)", underlying: error)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE payment (
                        provider TEXT NOT NULL,
                        transaction_id TEXT NOT NULL,
                        booking_id TEXT NOT NULL,
                        amount TEXT NOT NULL,
                        status TEXT NOT NULL,
                        role TEXT NOT NULL,
                        received_at REAL NOT NULL,
                        recorded_at REAL NOT NULL,
                        PRIMARY KEY (provider, transaction_id)
                    );
                    CREATE INDEX payment_by_booking ON payment(booking_id, recorded_at);
                    CREATE INDEX payment_by_age ON payment(recorded_at);
                    CREATE TABLE health_check (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at REAL NOT NULL);
                    """
            )
        }
        migrator.registerMigration("v2-webhook-messages") { db in
            try db.execute(
                sql: """
                    CREATE TABLE webhook_message (id TEXT PRIMARY KEY NOT NULL, expires_at REAL NOT NULL);
                    CREATE INDEX webhook_message_by_expiry ON webhook_message(expires_at);
                    """
            )
        }
        migrator.registerMigration("v3-announced") { db in
            try db.execute(sql: "ALTER TABLE payment ADD COLUMN announced INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v4-bookings-and-unmatched") { db in
            try db.execute(
                sql: """
                    CREATE TABLE registered_booking (
                        booking_id TEXT PRIMARY KEY NOT NULL,
                        amount TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        memo TEXT UNIQUE,
                        expires_at REAL,
                        registered_at REAL NOT NULL
                    );
                    CREATE INDEX registered_booking_by_age ON registered_booking(registered_at);
                    CREATE TABLE unmatched_transaction (
                        provider TEXT NOT NULL,
                        transaction_id TEXT NOT NULL,
                        amount TEXT NOT NULL,
                        content TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        received_at REAL NOT NULL,
                        recorded_at REAL NOT NULL,
                        PRIMARY KEY (provider, transaction_id)
                    );
                    CREATE INDEX unmatched_transaction_by_age ON unmatched_transaction(recorded_at);
                    """
            )
        }
        migrator.registerMigration("v5-callback-outbox") { db in
            try db.execute(sql: Self.outboxSchema)
        }
        migrator.registerMigration("v6-undelivered-callbacks") { db in
            try db.execute(sql: Self.undeliveredIndex)
        }
        return migrator
    }

    public func record(_ reported: PaymentEvent, registration known: RegisteredBooking?) async throws(LedgerError) -> RecordedPayment {
        do {
            let writesCallbacks = self.writesCallbacks
            return try await self.writer.write { db in
                let registration = try known ?? (reported.status.isSuccess ? Self.registeredBooking(db, where: "booking_id", is: reported.bookingID) : nil)
                let event = reported.checked(against: registration)
                let outcome = try Self.record(event, db)
                if writesCallbacks, case .recorded(let record) = outcome, let callback = CallbackEvent.reporting(record, registration: registration) {
                    try Self.insert(callback, db)
                }
                return RecordedPayment(outcome: outcome, registration: registration)
            }
        } catch {
            throw LedgerError(operation: "record", underlying: error)
        }
    }

    private static func record(_ event: PaymentEvent, _ db: Database) throws -> RecordOutcome {
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM payment WHERE provider = ? AND transaction_id = ?"),
            arguments: [event.provider, event.transactionID]
        ).map(Self.record(from:))
        if let existing, !existing.isSuperseded(by: event) {
            return .duplicate(existing)
        }
        let role: PaymentRecord.Role
        if event.status.isSuccess {
            let alreadyPaid = try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM payment WHERE booking_id = ? AND role = ?)"),
                arguments: [event.bookingID, PaymentRecord.Role.confirmation.rawValue]
            ) ?? false
            role = alreadyPaid ? .additionalPayment : .confirmation
        } else {
            role = .nonSuccess
        }
        let record = PaymentRecord(event: event, role: role, recordedAt: Date())
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO payment (provider, transaction_id, booking_id, amount, status, role, received_at, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                event.provider, event.transactionID, event.bookingID, event.amount.description,
                event.status.rawValue, role.rawValue, event.receivedAt.timeIntervalSince1970,
                record.recordedAt.timeIntervalSince1970,
            ]
        )
        return .recorded(record)
    }

    /// Read on the calling thread (a reader connection of the pool; WAL readers never wait for
    /// the writer): a subscription's point query takes microseconds, less than the two thread
    /// hops an asynchronous read costs.
    public func status(ofBooking bookingID: String) async throws(LedgerError) -> BookingStatus {
        do {
            let payments = try self.readOnThisThread { db in
                try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM payment WHERE booking_id = ? ORDER BY recorded_at, rowid"),
                    arguments: [bookingID]
                ).map(Self.record(from:))
            }
            return BookingStatus(bookingID: bookingID, payments: payments)
        } catch {
            throw LedgerError(operation: "read booking", underlying: error)
        }
    }

    /// GRDB's synchronous read (an `async` caller would otherwise get the asynchronous one).
    private func readOnThisThread<T>(_ read: (Database) throws -> T) throws -> T {
        try self.database.read(read)
    }

    public func prune(recordedBefore date: Date) async throws(LedgerError) -> Int {
        do {
            return try await self.writer.write { db in
                try db.execute(sql: "DELETE FROM payment WHERE recorded_at < ?", arguments: [date.timeIntervalSince1970])
                let removed = db.changesCount
                try db.execute(sql: "DELETE FROM unmatched_transaction WHERE recorded_at < ?", arguments: [date.timeIntervalSince1970])
                try db.execute(sql: "DELETE FROM registered_booking WHERE registered_at < ?", arguments: [date.timeIntervalSince1970])
                try db.execute(sql: "DELETE FROM webhook_message WHERE expires_at < ?", arguments: [Date().timeIntervalSince1970])
                try Self.pruneOutbox(db, before: date)
                return removed
            }
        } catch {
            throw LedgerError(operation: "prune", underlying: error)
        }
    }

    /// Queued with the next batch, not awaited: see `PaymentLedger.markAnnounced`. Under load it
    /// shares the next payment's transaction; alone, it is written 25 ms later without an fsync.
    public func markAnnounced(_ record: PaymentRecord) async throws(LedgerError) {
        let logger = self.logger
        self.writer.writeSoon { db in
            try db.cachedStatement(sql: "UPDATE payment SET announced = 1 WHERE provider = ? AND transaction_id = ?").execute(
                arguments: [record.event.provider, record.event.transactionID]
            )
        } onFailure: { error in
            logger.error("Announced payment not marked as announced", metadata: ["booking": .string(record.event.bookingID), "error": "\(error)"])
        }
    }

    public func hasProcessedWebhookMessage(_ id: String) async throws(LedgerError) -> Bool {
        do {
            return try await self.database.read { db in
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS(SELECT 1 FROM webhook_message WHERE id = ? AND expires_at >= ?)",
                    arguments: [id, Date().timeIntervalSince1970]
                ) ?? false
            }
        } catch {
            throw LedgerError(operation: "read webhook message", underlying: error)
        }
    }

    public func rememberWebhookMessage(_ id: String, until expiry: Date) async throws(LedgerError) {
        do {
            // A lost message id is still caught by the transaction's primary key: no fsync needed.
            try await self.writer.write(.crashSafe) { db in
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO webhook_message (id, expires_at) VALUES (?, ?)").execute(
                    arguments: [id, expiry.timeIntervalSince1970]
                )
            }
        } catch {
            throw LedgerError(operation: "remember webhook message", underlying: error)
        }
    }

    /// Open until shutdown; then the write-ahead log is checkpointed into the database file, so
    /// a stopped node leaves one self-contained file (every record was already durable). The
    /// checkpoint is synchronous so that it happens even when the shutdown was cut short.
    public func run() async throws {
        try? await gracefulShutdown()
        do {
            try self.checkpoint()
            self.logger.info("Ledger flushed")
        } catch {
            self.logger.error("Ledger not flushed at shutdown; it is still consistent", metadata: ["error": "\(error)"])
        }
    }

    /// Commits the writes still queued (announced flags wait for company), then moves the
    /// write-ahead log into the database file (a synchronous write: not cancellable).
    private func checkpoint() throws {
        try self.database.writeWithoutTransaction { db in
            self.writer.commitQueued(db)
            _ = try db.checkpoint(.truncate)
        }
    }

    public func checkWritable() async throws(LedgerError) {
        do {
            try await self.writer.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO health_check (id, checked_at) VALUES (1, ?)", arguments: [Date().timeIntervalSince1970])
            }
        } catch {
            throw LedgerError(operation: "write check", underlying: error)
        }
    }

    private static func amount(in row: Row) throws -> Decimal {
        let amountText: String = row["amount"]
        guard let amount = Decimal(string: amountText, locale: Locale(identifier: "en_US_POSIX")) else {
            throw DatabaseError(message: "stored amount '\(amountText)' is not a number")
        }
        return amount
    }

    private static func record(from row: Row) throws -> PaymentRecord {
        let amount = try Self.amount(in: row)
        let roleText: String = row["role"]
        guard let role = PaymentRecord.Role(rawValue: roleText) else {
            throw DatabaseError(message: "stored role '\(roleText)' is unknown")
        }
        let event = PaymentEvent(
            provider: row["provider"],
            transactionID: row["transaction_id"],
            bookingID: row["booking_id"],
            amount: amount,
            status: PaymentStatus(rawValue: row["status"]),
            receivedAt: Date(timeIntervalSince1970: row["received_at"])
        )
        return PaymentRecord(event: event, role: role, recordedAt: Date(timeIntervalSince1970: row["recorded_at"]), announced: row["announced"])
    }
}

extension SQLiteLedger {
    public func register(_ booking: RegisteredBooking) async throws(LedgerError) -> RegistrationOutcome {
        do {
            return try await self.writer.write { db in
                if let memo = booking.memo,
                    let owner = try String.fetchOne(db, sql: "SELECT booking_id FROM registered_booking WHERE memo = ?", arguments: [memo]),
                    owner != booking.bookingID
                {
                    return .memoTaken(byBooking: owner)
                }
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO registered_booking (booking_id, amount, currency, memo, expires_at, registered_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        booking.bookingID, booking.amount.description, booking.currency, booking.memo,
                        booking.expiresAt?.timeIntervalSince1970, booking.registeredAt.timeIntervalSince1970,
                    ]
                )
                return .registered(booking)
            }
        } catch {
            throw LedgerError(operation: "register booking", underlying: error)
        }
    }

    public func registeredBooking(id bookingID: String) async throws(LedgerError) -> RegisteredBooking? {
        try await self.registeredBooking(where: "booking_id", is: bookingID)
    }

    public func registeredBooking(memo: String) async throws(LedgerError) -> RegisteredBooking? {
        try await self.registeredBooking(where: "memo", is: memo.uppercased())
    }

    private func registeredBooking(where column: String, is value: String) async throws(LedgerError) -> RegisteredBooking? {
        do {
            return try await self.database.read { db in try Self.registeredBooking(db, where: column, is: value) }
        } catch {
            throw LedgerError(operation: "read registered booking", underlying: error)
        }
    }

    private static func registeredBooking(_ db: Database, where column: String, is value: String) throws -> RegisteredBooking? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM registered_booking WHERE \(column) = ?"), arguments: [value]).map { row in
            RegisteredBooking(
                bookingID: row["booking_id"],
                amount: try Self.amount(in: row),
                currency: row["currency"],
                memo: row["memo"],
                expiresAt: (row["expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                registeredAt: Date(timeIntervalSince1970: row["registered_at"])
            )
        }
    }

    public func recordUnmatched(_ transaction: UnmatchedTransaction) async throws(LedgerError) -> Bool {
        let writesCallbacks = self.writesCallbacks
        do {
            return try await self.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO unmatched_transaction (provider, transaction_id, amount, content, reason, received_at, recorded_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        transaction.provider, transaction.transactionID, transaction.amount.description, transaction.content,
                        transaction.reason, transaction.receivedAt.timeIntervalSince1970, transaction.recordedAt.timeIntervalSince1970,
                    ]
                )
                guard db.changesCount == 1 else { return false }
                if writesCallbacks { try Self.insert(CallbackEvent.reporting(transaction), db) }
                return true
            }
        } catch {
            throw LedgerError(operation: "record unmatched transaction", underlying: error)
        }
    }

    public func unmatchedTransactions(limit: Int) async throws(LedgerError) -> [UnmatchedTransaction] {
        do {
            return try await self.database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM unmatched_transaction ORDER BY recorded_at DESC, rowid DESC LIMIT ?", arguments: [limit]).map { row in
                    UnmatchedTransaction(
                        provider: row["provider"],
                        transactionID: row["transaction_id"],
                        amount: try Self.amount(in: row),
                        content: row["content"],
                        reason: row["reason"],
                        receivedAt: Date(timeIntervalSince1970: row["received_at"]),
                        recordedAt: Date(timeIntervalSince1970: row["recorded_at"])
                    )
                }
            }
        } catch {
            throw LedgerError(operation: "read unmatched transactions", underlying: error)
        }
    }
}

extension SQLiteLedger: PaymentHistory {
    /// The cursor is the row id: a replaced record (`INSERT OR REPLACE`) gets a new, higher one.
    public func payments(after: Int64?, limit: Int) async throws(LedgerError) -> [ListedPayment] {
        do {
            return try await self.database.read { db in
                try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT rowid AS sequence, * FROM payment WHERE rowid > ? ORDER BY rowid LIMIT ?"),
                    arguments: [after ?? 0, limit]
                ).map { row in ListedPayment(sequence: row["sequence"], record: try Self.record(from: row)) }
            }
        } catch {
            throw LedgerError(operation: "read payments", underlying: error)
        }
    }
}
