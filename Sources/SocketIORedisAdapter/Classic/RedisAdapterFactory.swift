import EngineIO
public import Logging
public import NIOCore
public import NIOPosix
public import Redis
public import SocketIO
import Synchronization

/// Makes the Redis adapter of each namespace, and owns the subscription that feeds them.
///
/// The channels and messages are those of Node's `@socket.io/redis-adapter` 8 (its classic,
/// non-sharded adapter), so a Swift node joins a cluster of Node socket.io servers sharing the
/// same `key`, and Node's `@socket.io/redis-emitter` (or `RedisEmitter`) reaches its sockets.
///
/// ```swift
/// let adapters = RedisAdapterFactory(redis: configuration, publisher: RedisClient(configuration: configuration, logger: logger), logger: logger)
/// let io = SocketIOServer(adapter: adapters)
/// // run `adapters.subscriber` as a service beside the server
/// ```
public final class RedisAdapterFactory: SocketIOAdapterFactory {
    /// This node's id in the cluster (Node's adapter `uid`); its own messages come back from
    /// Redis and are ignored.
    public let nodeID: String
    /// The start of every channel name (Node's `key` option); nodes that share it form one
    /// cluster.
    public let key: String
    /// Receives what the other nodes publish: run it as a service. Each namespace's channels
    /// are added to it when the namespace is made.
    public let subscriber: RedisSubscriber
    private let publisher: any RedisCommandExecutor
    private let answersOnSpecificChannel: Bool
    private let logger: Logger
    private let routes: RedisAdapterRoutes

    /// - Parameters:
    ///   - nodeID: This node's id in the cluster; nil makes a random one. Every node needs its own.
    ///   - key: The prefix of the channel names (Node's `key`, `socket.io` by default).
    ///   - publishOnSpecificResponseChannel: Answer other nodes' requests on the asking node's
    ///     own response channel rather than the shared one (Node's option of the same name; its
    ///     8.x nodes listen on both, older ones on the shared one only).
    ///   - redis: Where the subscriber connects (a connection of its own).
    ///   - eventLoopGroup: Runs the subscriber's connection.
    ///   - publisher: Publishes broadcasts and requests (a `RedisClient`; not the subscriber).
    ///   - logger: Where failed publications and malformed messages are logged.
    public init(
        nodeID: String? = nil,
        key: String = "socket.io",
        publishOnSpecificResponseChannel: Bool = false,
        redis: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        publisher: any RedisCommandExecutor,
        logger: Logger
    ) {
        self.nodeID = nodeID ?? RandomIDGenerator().next()
        self.key = key
        self.publisher = publisher
        self.answersOnSpecificChannel = publishOnSpecificResponseChannel
        self.logger = logger
        let routes = RedisAdapterRoutes(key: key)
        self.routes = routes
        self.subscriber = RedisSubscriber(configuration: redis, eventLoopGroup: eventLoopGroup, logger: logger, onMessage: routes.receive)
    }

    /// The adapter of one namespace; the server asks for one per namespace. Its channels are
    /// subscribed to (Node's nodes count each other by the request channel's subscribers).
    /// - Parameter namespace: The namespace's name, such as `/`.
    /// - Returns: An adapter that keeps rooms locally and reaches the other nodes through Redis.
    public func makeAdapter(namespace: String) -> any SocketIOAdapter {
        let adapter = RedisAdapter(
            namespace: namespace,
            nodeID: self.nodeID,
            channels: RedisAdapterChannels(prefix: self.key, namespace: namespace),
            publisher: self.publisher,
            subscriber: self.subscriber,
            answersOnSpecificChannel: self.answersOnSpecificChannel,
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

/// Hands each message from the subscriber to its namespace's adapter, by channel: broadcasts
/// (`<key>#<nsp>#…`), requests and responses.
final class RedisAdapterRoutes: Sendable {
    private struct Table {
        var byNamespace: [String: RedisAdapter] = [:]
        var requests: [String: RedisAdapter] = [:]
        var responses: [String: RedisAdapter] = [:]
    }

    private let broadcastPrefix: String
    private let table = Mutex(Table())

    init(key: String) {
        self.broadcastPrefix = "\(key)#"
    }

    var adapters: [RedisAdapter] { self.table.withLock { Array($0.byNamespace.values) } }

    func add(_ adapter: RedisAdapter) {
        self.table.withLock { table in
            table.byNamespace[adapter.namespace] = adapter
            table.requests[adapter.channels.request] = adapter
            table.responses[adapter.channels.response] = adapter
            table.responses[adapter.channels.response(forNode: adapter.nodeID)] = adapter
        }
    }

    @Sendable
    func receive(channel: String, payload: ByteBuffer) {
        if channel.hasPrefix(self.broadcastPrefix) {
            // `<key>#<nsp>#` or `<key>#<nsp>#<room>#`: a namespace name holds no `#`.
            let rest = channel.dropFirst(self.broadcastPrefix.count)
            guard let end = rest.firstIndex(of: "#") else { return }
            self.table.withLock { $0.byNamespace[String(rest[..<end])] }?.receiveBroadcast(payload)
        } else if let adapter = self.table.withLock({ $0.requests[channel] }) {
            adapter.receiveRequest(payload)
        } else if let adapter = self.table.withLock({ $0.responses[channel] }) {
            adapter.receiveResponse(payload)
        }
    }
}
