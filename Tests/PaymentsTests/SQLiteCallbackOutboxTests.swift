import Foundation
import GRDB
import Payments
import SQLiteLedger
import Testing

@Suite("SQLite callback outbox")
struct SQLiteCallbackOutboxTests {
    /// A ledger writing callback events, on a fresh file.
    func withOutboxLedger(_ body: (SQLiteLedger, String) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("ledger.sqlite").path
            try await body(try SQLiteLedger(path: path, logger: quietLogger, writesCallbacks: true), path)
        }
    }

    func body(of entry: OutboxEntry) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(entry.event.body.utf8)) as? [String: Any])
    }

    @Test("Each payment a merchant must act on writes one event of its type; retries and other statuses write none")
    func eventsPerPayment() async throws {
        try await withOutboxLedger { ledger, _ in
            _ = try await ledger.register(RegisteredBooking(bookingID: "booking-2", amount: 900_000))
            _ = try await ledger.record(payment("t1"))
            _ = try await ledger.record(payment("t1"))  // provider retry
            _ = try await ledger.record(payment("t2"))  // paid twice
            _ = try await ledger.record(payment("t3", booking: "booking-3", status: "pending"))
            _ = try await ledger.record(payment("t4", booking: "booking-2", amount: 100_000))  // below the registered amount
            let unmatched = UnmatchedTransaction(provider: "sepay", transactionID: "u1", amount: 5, content: "no code", reason: "no booking code", receivedAt: Date())
            #expect(try await ledger.recordUnmatched(unmatched))
            #expect(try await ledger.recordUnmatched(unmatched) == false)
            let entries = try await ledger.callbackEvents(after: nil, limit: 100)
            #expect(entries.map(\.event.kind) == [.paymentConfirmed, .paymentAdditional, .paymentUnderpaid, .transferUnmatched])
            #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted())
            #expect(entries.allSatisfy { $0.state == .pending && $0.attempts == 0 })

            let confirmed = try self.body(of: entries[0])
            #expect(confirmed["type"] as? String == "payment.confirmed")
            #expect(confirmed["id"] as? String == entries[0].event.id)
            #expect(entries[0].event.id.hasPrefix("evt_"))
            #expect(confirmed["createdAt"] as? String != nil)
            let data = try #require(confirmed["data"] as? [String: Any])
            #expect(data["bookingId"] as? String == "booking-1")
            #expect(data["transactionId"] as? String == "t1")
            #expect(data["amount"] as? Int == 500_000)
            #expect((data["confirmedAt"] as? String)?.hasSuffix("Z") == true)
            let underpaid = try #require(try self.body(of: entries[2])["data"] as? [String: Any])
            #expect(underpaid["expectedAmount"] as? Int == 900_000)
            #expect(try #require(try self.body(of: entries[1])["data"] as? [String: Any])["refundNeeded"] as? Bool == true)
            #expect(try await ledger.callbackEvents(after: entries[1].sequence, limit: 1).map(\.event.id) == [entries[2].event.id])
        }
    }

    @Test("The event id is stable: derived from the type and the transaction, the same in another ledger")
    func stableIDs() async throws {
        var ids: [String] = []
        for _ in 0..<2 {
            try await withOutboxLedger { ledger, _ in
                _ = try await ledger.record(payment("t1", receivedAt: Date(timeIntervalSince1970: 1_700_000_000)))
                ids.append(try #require(try await ledger.callbackEvents(after: nil, limit: 1).first).event.id)
            }
        }
        #expect(ids.count == 2 && ids[0] == ids[1])
    }

    @Test("The event is written in the payment's transaction: when the outbox insert fails, the payment is not recorded either")
    func atomicWithPayment() async throws {
        try await withOutboxLedger { ledger, path in
            let sabotage = try DatabaseQueue(path: path)
            try await sabotage.write { db in
                try db.execute(sql: "CREATE TRIGGER refuse_event BEFORE INSERT ON callback_event BEGIN SELECT RAISE(ABORT, 'outbox refused'); END")
            }
            await #expect(throws: LedgerError.self) { try await ledger.record(payment("t1")) }
            #expect(try await ledger.status(ofBooking: "booking-1").payments.isEmpty)
            try await sabotage.write { db in try db.execute(sql: "DROP TRIGGER refuse_event") }
            #expect(try await ledger.record(payment("t1")).confirmsBooking)
            #expect(try await ledger.callbackEvents(after: nil, limit: 10).count == 1)
        }
    }

    @Test("A claim leases its events; a stale settlement is ignored; settled events are not claimed again")
    func claimLeaseSettle() async throws {
        try await withOutboxLedger { ledger, _ in
            _ = try await ledger.record(payment("t1"))
            let now = Date().addingTimeInterval(1)
            let claimed = try await ledger.claimDueCallbacks(now: now, limit: 10, lease: .seconds(30))
            #expect(claimed.count == 1 && claimed[0].attempts == 1)
            #expect(try await ledger.claimDueCallbacks(now: now, limit: 10, lease: .seconds(30)).isEmpty)
            // The lease lapsed (the node died mid-attempt): claimed again, and the first claim's answer no longer counts.
            let reclaimed = try await ledger.claimDueCallbacks(now: now.addingTimeInterval(31), limit: 10, lease: .seconds(30))
            #expect(reclaimed.map(\.attempts) == [2])
            let attempt = CallbackAttempt(number: 1, startedAt: now, statusCode: 500, error: nil, duration: .milliseconds(12))
            #expect(try await ledger.settle(claimed[0], attempt: attempt, outcome: .delivered) == false)
            let retryAt = now.addingTimeInterval(100)
            let second = CallbackAttempt(number: 2, startedAt: now, statusCode: 410, error: nil, duration: .milliseconds(7))
            #expect(try await ledger.settle(reclaimed[0], attempt: second, outcome: .retry(at: retryAt, refused: true)))
            var stored = try #require(try await ledger.callbackEvent(id: claimed[0].event.id))
            #expect(stored.state == .pending && stored.scheduledAttempts == 1 && stored.refusals == 1)
            #expect(stored.nextAttemptAt.map { abs($0.timeIntervalSince(retryAt)) < 0.001 } == true)
            #expect(try await ledger.claimDueCallbacks(now: retryAt.addingTimeInterval(-1), limit: 10, lease: .seconds(30)).isEmpty)
            let third = try #require(try await ledger.claimDueCallbacks(now: retryAt, limit: 10, lease: .seconds(30)).first)
            let delivered = CallbackAttempt(number: 3, startedAt: retryAt, statusCode: 204, error: nil, duration: .milliseconds(3))
            #expect(try await ledger.settle(third, attempt: delivered, outcome: .delivered))
            #expect(try await ledger.claimDueCallbacks(now: retryAt.addingTimeInterval(1e6), limit: 10, lease: .seconds(30)).isEmpty)
            stored = try #require(try await ledger.callbackEvent(id: claimed[0].event.id))
            #expect(stored.state == .delivered && stored.attempts == 3 && stored.nextAttemptAt == nil)
            let attempts = try await ledger.callbackAttempts(ofEvent: stored.event.id)
            #expect(attempts.map(\.number) == [2, 3])
            #expect(attempts.map(\.statusCode) == [410, 204])
            #expect(attempts.map(\.milliseconds) == [7, 3])
        }
    }

    @Test("Redelivery makes a failed event pending and due now with its schedule restarted; an unknown id is nil")
    func redeliver() async throws {
        try await withOutboxLedger { ledger, _ in
            _ = try await ledger.record(payment("t1"))
            let claimed = try #require(try await ledger.claimDueCallbacks(now: Date().addingTimeInterval(1), limit: 1, lease: .seconds(30)).first)
            let attempt = CallbackAttempt(number: 1, startedAt: Date(), statusCode: nil, error: "timed out", duration: .seconds(10))
            try await ledger.settle(claimed, attempt: attempt, outcome: .failed)
            #expect(try await ledger.callbackEvent(id: claimed.event.id)?.state == .failed)
            let now = Date().addingTimeInterval(2)
            let redelivered = try #require(try await ledger.redeliver(eventID: claimed.event.id, now: now))
            #expect(redelivered.state == .pending && redelivered.scheduledAttempts == 0 && redelivered.attempts == 1)
            #expect(try await ledger.claimDueCallbacks(now: now, limit: 1, lease: .seconds(30)).map(\.attempts) == [2])
            #expect(try await ledger.redeliver(eventID: "evt_unknown", now: now) == nil)
            #expect(try await ledger.callbackAttempts(ofEvent: claimed.event.id).first?.error == "timed out")
        }
    }

    @Test("Undelivered events are the pending and failed ones, newest first, up to the limit")
    func undelivered() async throws {
        try await withOutboxLedger { ledger, _ in
            for transaction in ["t1", "t2", "t3"] { _ = try await ledger.record(payment(transaction, booking: "booking-\(transaction)")) }
            let now = Date().addingTimeInterval(1)
            let claimed = try await ledger.claimDueCallbacks(now: now, limit: 2, lease: .seconds(30))
            let answer = CallbackAttempt(number: 1, startedAt: now, statusCode: 410, error: nil, duration: .milliseconds(4))
            try await ledger.settle(claimed[0], attempt: answer, outcome: .delivered)
            try await ledger.settle(claimed[1], attempt: answer, outcome: .failed)
            let undelivered = try await ledger.undeliveredCallbacks(limit: 10)
            #expect(undelivered.map(\.event.bookingID) == ["booking-t3", "booking-t2"])
            #expect(undelivered.map(\.state) == [.pending, .failed])
            #expect(try await ledger.undeliveredCallbacks(limit: 1).map(\.event.bookingID) == ["booking-t3"])
        }
    }

    @Test("Pending events survive closing and reopening the file, and are due at once")
    func survivesRestart() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("ledger.sqlite").path
            do {
                let ledger = try SQLiteLedger(path: path, logger: quietLogger, writesCallbacks: true)
                _ = try await ledger.record(payment("t1"))
            }
            let reopened = try SQLiteLedger(path: path, logger: quietLogger, writesCallbacks: true)
            #expect(try await reopened.claimDueCallbacks(now: Date(), limit: 10, lease: .seconds(30)).count == 1)
        }
    }

    @Test("Without callbacks configured, no events are written")
    func offByDefault() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("t1"))
            #expect(try await ledger.callbackEvents(after: nil, limit: 10).isEmpty)
        }
    }
}
