import Foundation
import Payments
import Testing

@testable import Redis
@testable import RedisLedger

@Suite("Redis callback outbox", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisCallbackOutboxTests {
    @Test("Each payment a merchant must act on writes one event, in the record script, whichever node records it")
    func eventsPerPayment() async throws {
        try await withRedisLedgerNodes(writesCallbacks: true) { nodes throws in
            let (nodeA, nodeB) = (nodes[0], nodes[1])
            _ = try await nodeA.register(RegisteredBooking(bookingID: "BK2", amount: 900_000))
            _ = try await nodeA.record(redisPayment("t1"))
            _ = try await nodeB.record(redisPayment("t1"))
            _ = try await nodeB.record(redisPayment("t2"))
            _ = try await nodeA.record(redisPayment("t3", booking: "BK3", status: "pending"))
            _ = try await nodeA.record(redisPayment("t4", booking: "BK2", amount: 100_000))
            let unmatched = UnmatchedTransaction(provider: "sepay", transactionID: "u1", amount: 5, content: "no code", reason: "no booking code", receivedAt: Date())
            #expect(try await nodeB.recordUnmatched(unmatched))
            #expect(try await nodeA.recordUnmatched(unmatched) == false)
            let entries = try await nodeB.callbackEvents(after: nil, limit: 100)
            #expect(entries.map(\.event.kind) == [.paymentConfirmed, .paymentAdditional, .paymentUnderpaid, .transferUnmatched])
            #expect(entries.map(\.event.bookingID) == ["BK1", "BK1", "BK2", nil])
            let body = try #require(JSONSerialization.jsonObject(with: Data(entries[0].event.body.utf8)) as? [String: Any])
            let data = try #require(body["data"] as? [String: Any])
            #expect(body["id"] as? String == entries[0].event.id)
            #expect(data["bookingId"] as? String == "BK1" && data["transactionId"] as? String == "t1" && data["amount"] as? Int == 500_000)
            #expect(try await nodeA.callbackEvents(after: entries[1].sequence, limit: 1).map(\.event.kind) == [.paymentUnderpaid])
        }
    }

    @Test("Concurrent deliveries of payments to three nodes: exactly one event per payment that calls for one")
    func concurrentNodes() async throws {
        try await withRedisLedgerNodes(3, writesCallbacks: true) { nodes throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<60 {
                    group.addTask { _ = try await nodes[index % 3].record(redisPayment("t\(index % 20)", booking: "B\(index % 20)")) }
                }
                try await group.waitForAll()
            }
            let entries = try await nodes[0].callbackEvents(after: nil, limit: 100)
            #expect(entries.count == 20)
            #expect(Set(entries.map(\.event.id)).count == 20)
            #expect(entries.allSatisfy { $0.event.kind == .paymentConfirmed })
        }
    }

    @Test("A claim is a cluster-wide lease: one node gets each due event; settle, retry and redelivery")
    func claimLeaseSettle() async throws {
        try await withRedisLedgerNodes(3, writesCallbacks: true) { nodes throws in
            for index in 0..<10 { _ = try await nodes[0].record(redisPayment("t\(index)", booking: "B\(index)")) }
            let now = Date().addingTimeInterval(1)
            let claims = try await withThrowingTaskGroup(of: [OutboxEntry].self) { group in
                for node in nodes { group.addTask { try await node.claimDueCallbacks(now: now, limit: 10, lease: .seconds(30)) } }
                return try await group.reduce(into: [OutboxEntry]()) { $0 += $1 }
            }
            #expect(claims.count == 10)
            #expect(Set(claims.map(\.event.id)).count == 10)
            let first = claims[0]
            let reclaimed = try #require(
                try await nodes[1].claimDueCallbacks(now: now.addingTimeInterval(31), limit: 10, lease: .seconds(30)).first { $0.event.id == first.event.id }
            )
            #expect(reclaimed.attempts == 2)
            let stale = CallbackAttempt(number: 1, startedAt: now, statusCode: 200, error: nil, duration: .milliseconds(5))
            #expect(try await nodes[0].settle(first, attempt: stale, outcome: .delivered) == false)
            let retryAt = now.addingTimeInterval(100)
            let answer = CallbackAttempt(number: 2, startedAt: now, statusCode: 429, error: nil, duration: .milliseconds(9))
            #expect(try await nodes[1].settle(reclaimed, attempt: answer, outcome: .retry(at: retryAt, refused: false)))
            var stored = try #require(try await nodes[2].callbackEvent(id: first.event.id))
            #expect(stored.state == .pending && stored.scheduledAttempts == 1 && stored.refusals == 0)
            let third = try #require(try await nodes[2].claimDueCallbacks(now: retryAt, limit: 20, lease: .seconds(30)).first { $0.event.id == first.event.id })
            let failure = CallbackAttempt(number: 3, startedAt: retryAt, statusCode: nil, error: "connection refused", duration: .milliseconds(1))
            #expect(try await nodes[2].settle(third, attempt: failure, outcome: .failed))
            stored = try #require(try await nodes[0].callbackEvent(id: first.event.id))
            #expect(stored.state == .failed && stored.nextAttemptAt == nil)
            let attempts = try await nodes[0].callbackAttempts(ofEvent: first.event.id)
            #expect(attempts.map(\.number) == [2, 3])
            #expect(attempts.map(\.statusCode) == [429, nil])
            #expect(attempts.last?.error == "connection refused")
            let redelivered = try #require(try await nodes[1].redeliver(eventID: first.event.id, now: retryAt))
            #expect(redelivered.state == .pending && redelivered.scheduledAttempts == 0)
            #expect(try await nodes[0].claimDueCallbacks(now: retryAt, limit: 20, lease: .seconds(30)).contains { $0.event.id == first.event.id })
            #expect(try await nodes[0].redeliver(eventID: "evt_unknown", now: retryAt) == nil)
            #expect(try await nodes[0].callbackEvent(id: "evt_unknown") == nil)
        }
    }

    @Test("Undelivered events, read on any node: pending and failed ones newest first; delivered leave, redelivered return")
    func undelivered() async throws {
        try await withRedisLedgerNodes(2, writesCallbacks: true) { nodes throws in
            for index in 1...3 { _ = try await nodes[0].record(redisPayment("t\(index)", booking: "B\(index)")) }
            let now = Date().addingTimeInterval(1)
            let claimed = try await nodes[1].claimDueCallbacks(now: now, limit: 2, lease: .seconds(30))
            let answer = CallbackAttempt(number: 1, startedAt: now, statusCode: 410, error: nil, duration: .milliseconds(4))
            try await nodes[1].settle(claimed[0], attempt: answer, outcome: .delivered)
            try await nodes[1].settle(claimed[1], attempt: answer, outcome: .failed)
            #expect(try await nodes[0].undeliveredCallbacks(limit: 10).map(\.event.bookingID) == ["B3", "B2"])
            #expect(try await nodes[0].undeliveredCallbacks(limit: 1).map(\.state) == [.pending])
            _ = try await nodes[0].redeliver(eventID: claimed[0].event.id, now: now)
            #expect(try await nodes[1].undeliveredCallbacks(limit: 10).map(\.event.bookingID) == ["B3", "B2", "B1"])
        }
    }

    @Test("Without callbacks configured, no events are written")
    func offByDefault() async throws {
        try await withRedisLedgerNodes(1) { nodes throws in
            _ = try await nodes[0].record(redisPayment("t1"))
            let unmatched = UnmatchedTransaction(provider: "sepay", transactionID: "u1", amount: 5, content: "x", reason: "r", receivedAt: Date())
            #expect(try await nodes[0].recordUnmatched(unmatched))
            #expect(try await nodes[0].callbackEvents(after: nil, limit: 10).isEmpty)
        }
    }
}

@Suite("Redis payment history", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisPaymentHistoryTests {
    @Test("Payments page in recording order across nodes; a replaced record moves to the end; duplicates do not")
    func pages() async throws {
        try await withRedisLedgerNodes { nodes throws in
            _ = try await nodes[0].record(redisPayment("t1", booking: "b1", status: "pending"))
            _ = try await nodes[1].record(redisPayment("t2", booking: "b2"))
            _ = try await nodes[0].record(redisPayment("t3", booking: "b3"))
            _ = try await nodes[1].record(redisPayment("t2", booking: "b2"))
            _ = try await nodes[0].record(redisPayment("t1", booking: "b1"))
            let all = try await nodes[1].payments(after: nil, limit: 10)
            #expect(all.map(\.record.event.transactionID) == ["t2", "t3", "t1"])
            let first = try await nodes[0].payments(after: nil, limit: 2)
            let rest = try await nodes[1].payments(after: first.last?.sequence, limit: 2)
            #expect((first + rest).map(\.record.event.transactionID) == ["t2", "t3", "t1"])
            #expect(try await nodes[0].payments(after: all.last?.sequence, limit: 2).isEmpty)
        }
    }
}

@Suite("Redis callback outbox atomicity", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisCallbackOutboxAtomicityTests {
    @Test("When the event cannot be written, neither is the payment or the unmatched transfer")
    func eventOrNothing() async throws {
        try await withRedisLedgerNodes(1, writesCallbacks: true) { nodes throws in
            let ledger = nodes[0]
            // Sabotage: the outbox's sequence is not a number, so the script's INCR fails.
            _ = try await ledger.redis.send(RESPCommand("SET", "paynotify:callbacks:sequence", "not-a-number"))
            await #expect(throws: LedgerError.self) { try await ledger.record(redisPayment("t1")) }
            #expect(try await ledger.status(ofBooking: "BK1").payments.isEmpty)
            let unmatched = UnmatchedTransaction(provider: "sepay", transactionID: "u1", amount: 5, content: "x", reason: "r", receivedAt: Date())
            await #expect(throws: LedgerError.self) { try await ledger.recordUnmatched(unmatched) }
            #expect(try await ledger.unmatchedTransactions(limit: 10).isEmpty)
            _ = try await ledger.redis.send(RESPCommand("DEL", "paynotify:callbacks:sequence"))
            #expect(try await ledger.record(redisPayment("t1")).confirmsBooking)
            #expect(try await ledger.recordUnmatched(unmatched))
            #expect(try await ledger.callbackEvents(after: nil, limit: 10).map(\.event.kind) == [.paymentConfirmed, .transferUnmatched])
        }
    }
}

@Suite("Redis indexes past the retention", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisIndexTrimTests {
    @Test("Index entries whose payment or event expired are dropped as new ones are written")
    func trimmed() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: testLogger)
        let ledger = RedisLedger(redis: client, retention: .seconds(1), logger: testLogger, writesCallbacks: true)
        _ = try await ledger.record(redisPayment("t1", booking: "B1"))
        try await Task.sleep(for: .milliseconds(2100))
        _ = try await ledger.record(redisPayment("t2", booking: "B2"))
        #expect(try await client.send(RESPCommand("ZCARD", "paynotify:payments")).integer == 1)
        #expect(try await client.send(RESPCommand("ZCARD", "paynotify:callbacks")).integer == 1)
        #expect(try await ledger.payments(after: nil, limit: 10).map(\.record.event.transactionID) == ["t2"])
        #expect(try await ledger.callbackEvents(after: nil, limit: 10).count == 1)
    }
}
