import Foundation
import Payments

@testable import Redis
@testable import RedisLedger

/// Runs `body` with `count` ledgers on one fresh redis-server, each with its own client as
/// separate nodes would have; the server is stopped afterwards.
/// `writesCallbacks`: whether they write merchant callback events (the outbox).
func withRedisLedgerNodes(_ count: Int = 2, writesCallbacks: Bool = false, _ body: ([RedisLedger]) async throws -> Void) async throws {
    let server = try RedisServerProcess()
    try await server.start()
    defer { server.stop() }
    let redis = try RedisConfiguration(url: server.url)
    let nodes = (0..<count).map { _ in
        RedisLedger(redis: RedisClient(configuration: redis, logger: testLogger), retention: .seconds(3600), logger: testLogger, writesCallbacks: writesCallbacks)
    }
    try await body(nodes)
}

/// A payment as a provider would report it to the Redis ledger tests.
func redisPayment(_ transaction: String, booking: String = "BK1", status: String = "success", amount: Decimal = 500_000) -> PaymentEvent {
    PaymentEvent(provider: "generic", transactionID: transaction, bookingID: booking, amount: amount, status: PaymentStatus(rawValue: status))
}
