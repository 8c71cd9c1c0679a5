import Foundation
import Payments
import Testing

@testable import Redis
@testable import RedisLedger

@Suite("Redis ledger", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisLedgerTests {
    @Test("Idempotent across nodes, roles, status, replay memory")
    func ledger() async throws {
        try await withRedisLedgerNodes { nodes throws in
            let (nodeA, nodeB) = (nodes[0], nodes[1])
            let first = try await nodeA.record(redisPayment("t1", amount: Decimal(string: "123456.78")!))
            #expect(first.confirmsBooking)
            let retry = try await nodeB.record(redisPayment("t1"))
            guard case .duplicate(let stored) = retry else { Issue.record("expected duplicate, got \(retry)"); return }
            #expect(stored.event.amount == Decimal(string: "123456.78")!)
            #expect(try await nodeB.record(redisPayment("t2")).record.role == .additionalPayment)
            #expect(try await nodeA.record(redisPayment("t3", status: "failed")).record.role == .nonSuccess)
            let status = try await nodeB.status(ofBooking: "BK1")
            #expect(status.isPaid)
            #expect(status.confirmation?.event.transactionID == "t1")
            #expect(status.payments.map(\.event.transactionID) == ["t1", "t2", "t3"])
            #expect(try await nodeA.status(ofBooking: "unknown").summary == "pending")

            _ = try await nodeA.record(redisPayment("p1", booking: "BK2", status: "pending"))
            #expect(try await nodeB.record(redisPayment("p1", booking: "BK2", status: "success")).confirmsBooking)

            #expect(try await nodeA.hasProcessedWebhookMessage("msg-1") == false)
            try await nodeB.rememberWebhookMessage("msg-1", until: Date().addingTimeInterval(60))
            #expect(try await nodeA.hasProcessedWebhookMessage("msg-1"))
            try await nodeA.checkWritable()
        }
    }

    @Test("Concurrent deliveries of one payment to several nodes record it once")
    func concurrentNodes() async throws {
        try await withRedisLedgerNodes(3) { ledgers throws in
            let confirmations = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<30 {
                    group.addTask { try await ledgers[index % 3].record(redisPayment("same")).confirmsBooking }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(confirmations == 1)
        }
    }

    @Test("Redis down: recording fails with a LedgerError, never a false success")
    func redisDown() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        let ledger = RedisLedger(redis: RedisClient(configuration: try RedisConfiguration(url: server.url), logger: testLogger), retention: .seconds(60), logger: testLogger)
        server.stop()
        await #expect(throws: LedgerError.self) { try await ledger.record(redisPayment("t")) }
        await #expect(throws: LedgerError.self) { try await ledger.checkWritable() }
    }

    @Test("A poll lease is held by one node at a time and lapses")
    func pollLease() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: testLogger)
        let nodeA = RedisPollLease(redis: client, nodeID: "a")
        let nodeB = RedisPollLease(redis: client, nodeID: "b")
        // A second: long enough for the checks below on a loaded machine (the tests run in
        // parallel), short enough to wait out.
        #expect(await nodeA.acquire(bookingID: "BK", for: .seconds(1)))
        #expect(await nodeA.acquire(bookingID: "BK", for: .seconds(1)))
        #expect(await nodeB.acquire(bookingID: "BK", for: .seconds(1)) == false)
        #expect(await nodeB.acquire(bookingID: "other", for: .seconds(1)))
        try await Task.sleep(for: .milliseconds(1200))
        #expect(await nodeB.acquire(bookingID: "BK", for: .seconds(1)))
    }
}
