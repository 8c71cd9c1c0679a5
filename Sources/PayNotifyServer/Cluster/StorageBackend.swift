import Logging
import Payments
import SQLiteLedger
import Redis
import RedisLedger
import ServiceLifecycle
import SocketIO
import SocketIORedisAdapter

/// Where state lives: embedded (SQLite ledger, in-process adapter) for one node, or Redis
/// (Redis ledger, Redis adapter, shared poll leases) when `REDIS_URL` makes a cluster.
struct StorageBackend: Sendable {
    let ledger: any Ledger
    /// The same store's callback outbox (events are written only when callbacks are on).
    let outbox: any CallbackOutbox
    /// The same store's payments in recording order, for the merchant's reconciliation.
    let history: any PaymentHistory
    let adapter: any SocketIOAdapterFactory
    let pollLease: any PollLease
    /// Services the backend needs running (ledger pruning, the Redis subscriber).
    let services: [any Service]
    /// What is not ready; empty when every part is.
    let readinessProblems: @Sendable () async -> [String]
    /// The link to Redis in cluster mode, for its metrics; nil when embedded.
    var redisLink: RedisLink? = nil
    /// Reads Redis's persistence settings in cluster mode; nil when embedded (SQLite's own
    /// commits are fsynced).
    var durability: (@Sendable () async -> RedisDurability)? = nil

    static func make(for configuration: PayNotifyConfiguration, logger: Logger) throws -> StorageBackend {
        let retention = Duration.seconds(configuration.retentionDays * 86_400)
        let writesCallbacks = configuration.callbacks.isEnabled
        guard let redis = configuration.redis else {
            let ledger = try SQLiteLedger(path: configuration.databasePath, logger: logger, writesCallbacks: writesCallbacks)
            return StorageBackend(
                ledger: ledger,
                outbox: ledger,
                history: ledger,
                adapter: InMemoryAdapterFactory(),
                pollLease: LocalPollLease(),
                services: [ledger, LedgerPruningService(ledger: ledger, retention: retention, logger: logger)],
                readinessProblems: { await Self.ledgerProblems(ledger) }
            )
        }
        let client = RedisClient(configuration: redis, logger: logger)
        let factory: any RedisClusterAdapterFactory
        switch configuration.cluster.adapter {
        case .classic:
            factory = RedisAdapterFactory(key: configuration.cluster.channelPrefix, redis: redis, publisher: client, logger: logger)
        case .sharded(let mode):
            factory = ShardedRedisAdapterFactory(channelPrefix: configuration.cluster.channelPrefix, subscriptionMode: mode, redis: redis, publisher: client, logger: logger)
        }
        let subscriber = factory.subscriber
        let ledger = RedisLedger(redis: client, retention: retention, logger: logger, writesCallbacks: writesCallbacks)
        let environment = configuration.security.environment
        let durability: @Sendable () async -> RedisDurability = { await RedisDurability.read(from: client) }
        return StorageBackend(
            ledger: ledger,
            outbox: ledger,
            history: ledger,
            adapter: factory,
            pollLease: RedisPollLease(redis: client, nodeID: factory.nodeID),
            services: [ledger, subscriber],
            readinessProblems: {
                var problems = await Self.ledgerProblems(ledger)
                if !subscriber.isConnected { problems.append("redis subscription is down") }
                let settings = await durability()
                if settings.severity(in: environment) == .error { problems.append("redis persistence: \(settings.summary)") }
                return problems
            },
            redisLink: RedisLink(adapters: factory, subscriber: subscriber),
            durability: durability
        )
    }

    private static func ledgerProblems(_ ledger: any LedgerMaintenance) async -> [String] {
        do {
            try await ledger.checkWritable()
            return []
        } catch {
            return ["ledger is not writable: \(error)"]
        }
    }
}
