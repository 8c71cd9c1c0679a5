import Foundation
import GRDB
import Logging
import Payments
import ServiceLifecycle
import Synchronization
import Testing

@testable import SQLiteLedger

@Suite("Group commit of the SQLite ledger's writes")
struct GroupCommitWriterTests {
    @Test("Writes that arrive together share transactions, and every one is durable when answered")
    func concurrentWritesShareBatches() async throws {
        try await withLedger { ledger, path in
            let count = 200
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask { _ = try await ledger.record(payment("txn-\(index)", booking: "booking-\(index)")) }
                }
                try await group.waitForAll()
            }
            #expect(ledger.writer.committedBatches < count, "\(count) concurrent writes took \(ledger.writer.committedBatches) transactions")
            let reopened = try DatabaseQueue(path: path)
            #expect(try await reopened.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM payment") } == count)
        }
    }

    @Test("A write that fails is undone alone; the others of its batch commit")
    func failingWriteIsIsolated() async throws {
        try await withLedger { ledger, _ in
            struct Refused: Error {}
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            try await ledger.writer.write { db in
                                try db.execute(sql: "INSERT INTO health_check (id, checked_at) VALUES (1, ?) ON CONFLICT DO UPDATE SET checked_at = excluded.checked_at", arguments: [Double(index)])
                                try db.execute(sql: "INSERT INTO webhook_message (id, expires_at) VALUES (?, 0)", arguments: ["m-\(index)"])
                                if index.isMultiple(of: 5) { throw Refused() }
                            }
                            return true
                        } catch is Refused {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { !$0 }.count == 4)
            #expect(try await ledger.hasProcessedWebhookMessage("m-0") == false, "a refused write leaves nothing behind")
            let kept = try await ledger.writer.write { db in try String.fetchAll(db, sql: "SELECT id FROM webhook_message") }
            #expect(Set(kept) == Set((0..<20).filter { !$0.isMultiple(of: 5) }.map { "m-\($0)" }))
        }
    }

    @Test("A write alone in its batch that fails leaves nothing behind")
    func loneFailingWriteIsUndone() async throws {
        try await withLedger { ledger, _ in
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await ledger.writer.write { db in
                    try db.execute(sql: "INSERT INTO webhook_message (id, expires_at) VALUES ('lone', 0)")
                    throw Refused()
                }
            }
            let stored = try await ledger.writer.write { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_message") }
            #expect(stored == 0)
        }
    }

    @Test("While another process holds the database, a batch fails as a whole and the next one succeeds")
    func lockedDatabaseFailsTheBatch() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("ledger.sqlite").path
            let ledger = try SQLiteLedger(path: path, logger: quietLogger, busyTimeout: 0.2)
            var configuration = Configuration()
            configuration.busyMode = .immediateError
            configuration.allowsUnsafeTransactions = true  // the blocker holds its lock across accesses
            let blocker = try DatabaseQueue(path: path, configuration: configuration)
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            await #expect(throws: LedgerError.self) { try await ledger.record(payment("txn-locked")) }
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            #expect(try await ledger.record(payment("txn-locked")).confirmsBooking, "nothing of the failed batch was kept")
        }
    }

    @Test("A write queued without waiting reports a failure to commit")
    func writeSoonReportsFailure() async throws {
        try await withLedger { ledger, _ in
            let failures = Mutex<[String]>([])
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                ledger.writer.writeSoon { db in
                    try db.execute(sql: "INSERT INTO no_such_table VALUES (1)")
                } onFailure: { error in
                    failures.withLock { $0.append("\(error)") }
                    done.resume()
                }
            }
            #expect(failures.withLock { $0.count } == 1)
        }
    }

    @Test("A write queued without waiting shares the next awaited write's transaction, and that write sees it")
    func deferredWriteRidesWithTheNextWrite() async throws {
        try await withLedger { ledger, _ in
            let writer = GroupCommitWriter(database: ledger.database, deferralLimit: .seconds(60))
            queueMessageID("deferred", on: writer)
            #expect(writer.committedBatches == 0, "a deferred write alone starts no transaction")
            let seen = try await writer.write { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_message WHERE id = 'deferred'")
            }
            #expect(seen == 1)
            #expect(writer.committedBatches == 1, "both writes in one transaction")
        }
    }

    @Test("A write queued without waiting is committed on its own once its deferral ends")
    func deferredWriteCommitsAlone() async throws {
        try await withLedger { ledger, _ in
            let writer = GroupCommitWriter(database: ledger.database, deferralLimit: .milliseconds(50))
            queueMessageID("alone", on: writer)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(10)
            while writer.committedBatches == 0, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(writer.committedBatches == 1)
            let stored = try await ledger.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM webhook_message WHERE id = 'alone'") }
            #expect(stored == 1)
        }
    }

    @Test("A ledger that shuts down commits the announced flags still waiting for company")
    func shutdownCommitsDeferredWrites() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("ledger.sqlite").path
            let ledger = try SQLiteLedger(path: path, logger: quietLogger, busyTimeout: 5, writesCallbacks: false, deferralLimit: .seconds(60))
            let record = try await ledger.record(payment("txn-flag")).record
            try await ledger.markAnnounced(record)
            let group = ServiceGroup(services: [ledger], logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let reopened = try DatabaseQueue(path: path)
            let announced = try await reopened.read { try Bool.fetchOne($0, sql: "SELECT announced FROM payment WHERE transaction_id = 'txn-flag'") }
            #expect(announced == true)
        }
    }

    /// Stores a message id through `writeSoon`, recording an issue if it fails.
    private func queueMessageID(_ id: String, on writer: GroupCommitWriter) {
        writer.writeSoon { db in
            try db.execute(sql: "INSERT INTO webhook_message (id, expires_at) VALUES (?, 0)", arguments: [id])
        } onFailure: { error in
            Issue.record("deferred write failed: \(error)")
        }
    }
}
