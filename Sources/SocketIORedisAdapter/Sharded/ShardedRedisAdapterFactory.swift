import EngineIO
public import Logging
public import NIOCore
public import NIOPosix
public import Redis
public import SocketIO
import Synchronization

/// Makes the sharded Redis adapter of each namespace: Redis 7's sharded pub/sub (`SSUBSCRIBE`,
/// `SPUBLISH`), with the channels and messages of Node's `createShardedAdapter`
/// (`@socket.io/redis-adapter` 8), so a Swift node joins a cluster of Node socket.io servers
/// using it with the same `channelPrefix` and `subscriptionMode`.
///
/// Sharded pub/sub keeps each channel's messages on the shard that owns it, which is what lets a
/// Redis Cluster spread the traffic; this adapter publishes and subscribes through one Redis
/// server (a standalone Redis 7, or one shard), as `RedisClient` connects to one. Unlike the
/// classic adapter (`RedisAdapterFactory`), the protocol has no request for the other nodes'
/// rooms: `allRooms()` throws `RedisAdapterError` with `.notInProtocol`, and the
/// `@socket.io/redis-emitter`, which publishes the classic adapter's messages, does not reach it.
///
/// ```swift
/// let adapters = ShardedRedisAdapterFactory(redis: configuration, publisher: RedisClient(configuration: configuration, logger: logger), logger: logger)
/// let io = SocketIOServer(adapter: adapters)
/// // run `adapters.subscriber` as a service beside the server
/// ```
public final class ShardedRedisAdapterFactory: SocketIOAdapterFactory {
    /// This node's id in the cluster (socket.io-adapter's `uid`); its own messages come back from
    /// Redis and are ignored, and its answers come on its own response channel.
    public let nodeID: String
    /// The start of every channel name (Node's `channelPrefix`).
    public let channelPrefix: String
    /// Which channels carry a broadcast; the same on every node of the cluster.
    public let subscriptionMode: ShardedSubscriptionMode
    /// Receives what the other nodes publish: run it as a service.
    public let subscriber: RedisSubscriber
    private let publisher: any RedisCommandExecutor
    private let logger: Logger
    private let routes: ShardedRedisRoutes

    /// - Parameters:
    ///   - nodeID: This node's id in the cluster; nil makes a random one. Every node needs its own.
    ///   - channelPrefix: The prefix of the channel names (Node's `channelPrefix`, `socket.io` by default).
    ///   - subscriptionMode: Node's `subscriptionMode`, `dynamic` by default.
    ///   - redis: Where the subscriber connects (a connection of its own).
    ///   - eventLoopGroup: Runs the subscriber's connection.
    ///   - publisher: Publishes messages (a `RedisClient`; not the subscriber).
    ///   - logger: Where failed publications and malformed messages are logged.
    public init(
        nodeID: String? = nil,
        channelPrefix: String = "socket.io",
        subscriptionMode: ShardedSubscriptionMode = .dynamic,
        redis: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        publisher: any RedisCommandExecutor,
        logger: Logger
    ) {
        self.nodeID = nodeID ?? RandomIDGenerator().next()
        self.channelPrefix = channelPrefix
        self.subscriptionMode = subscriptionMode
        self.publisher = publisher
        self.logger = logger
        let routes = ShardedRedisRoutes(prefix: channelPrefix, nodeID: self.nodeID)
        self.routes = routes
        self.subscriber = RedisSubscriber(configuration: redis, eventLoopGroup: eventLoopGroup, logger: logger, onMessage: routes.receive)
    }

    /// The adapter of one namespace; the server asks for one per namespace. Its channels are
    /// subscribed to at once, and its rooms' as sockets join them.
    public func makeAdapter(namespace: String) -> any SocketIOAdapter {
        let adapter = ShardedRedisAdapter(
            namespace: namespace,
            nodeID: self.nodeID,
            channels: ShardedRedisChannels(prefix: self.channelPrefix, namespace: namespace),
            mode: self.subscriptionMode,
            publisher: self.publisher,
            subscriber: self.subscriber,
            logger: self.logger
        )
        self.routes.add(adapter)
        return adapter
    }

    /// The sum of every namespace adapter's counters.
    public var counts: RedisAdapterCounters {
        self.routes.adapters.reduce(into: RedisAdapterCounters()) { $0.add($1.counts) }
    }
}

/// Hands each message from the subscriber to its namespace's adapter: every channel is
/// `<prefix>#<nsp>#…` (a namespace name holds no `#`), and the one ending in this node's uid
/// carries responses.
final class ShardedRedisRoutes: Sendable {
    private let prefix: String
    private let responseSuffix: String
    private let byNamespace = Mutex<[String: ShardedRedisAdapter]>([:])

    init(prefix: String, nodeID: String) {
        self.prefix = "\(prefix)#"
        self.responseSuffix = "\(nodeID)#"
    }

    var adapters: [ShardedRedisAdapter] { self.byNamespace.withLock { Array($0.values) } }

    func add(_ adapter: ShardedRedisAdapter) {
        self.byNamespace.withLock { $0[adapter.namespace] = adapter }
    }

    @Sendable
    func receive(channel: String, payload: ByteBuffer) {
        guard channel.hasPrefix(self.prefix) else { return }
        let rest = channel.dropFirst(self.prefix.count)
        guard let end = rest.firstIndex(of: "#") else { return }
        let afterNamespace = rest[rest.index(after: end)...]
        self.byNamespace.withLock { $0[String(rest[..<end])] }?.receive(payload, onResponseChannel: afterNamespace == self.responseSuffix)
    }
}
