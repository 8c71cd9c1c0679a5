import EngineIO
public import Logging
public import NIOCore
public import Redis
public import SocketIO
import Synchronization

/// Makes a `RedisAdapter` per namespace, all publishing on `<prefix>#<namespace>` channels, and
/// routes what the subscriber receives to the adapter of its namespace.
///
/// ```swift
/// let factory = RedisAdapterFactory(publisher: redisClient, logger: logger)
/// let subscriber = RedisSubscriber(configuration: redis, logger: logger, onMessage: factory.receive)
/// await subscriber.subscribe(pattern: factory.channelPattern)
/// let io = SocketIOServer(adapter: factory)
/// ```
public final class RedisAdapterFactory: SocketIOAdapterFactory {
    /// This node's id in the cluster; its own messages come back from Redis and are ignored.
    public let nodeID: String
    let channelPrefix: String
    private let publisher: any RedisCommandExecutor
    private let logger: Logger
    private let adapters = Mutex<[String: RedisAdapter]>([:])

    /// - Parameters:
    ///   - nodeID: This node's id in the cluster; nil makes a random one. Every node needs its own.
    ///   - channelPrefix: The start of the channel names; nodes that share it form one cluster.
    ///   - publisher: Publishes the broadcasts (a `RedisClient`; not the subscriber's connection).
    ///   - logger: Where failed publications are logged.
    public init(nodeID: String? = nil, channelPrefix: String = "socket.io", publisher: any RedisCommandExecutor, logger: Logger) {
        self.nodeID = nodeID ?? RandomIDGenerator().next()
        self.channelPrefix = channelPrefix
        self.publisher = publisher
        self.logger = logger
    }

    /// The pattern covering every namespace's channel, for `RedisSubscriber.subscribe(pattern:)`.
    public var channelPattern: String { "\(self.channelPrefix)#*" }

    func channel(forNamespace namespace: String) -> String {
        "\(self.channelPrefix)#\(namespace)"
    }

    /// The adapter of one namespace, publishing on that namespace's channel; the server asks for
    /// one per namespace.
    /// - Parameter namespace: The namespace's name, such as `/`.
    /// - Returns: An adapter that keeps rooms locally and publishes every broadcast.
    public func makeAdapter(namespace: String) -> any SocketIOAdapter {
        let channel = self.channel(forNamespace: namespace)
        let adapter = RedisAdapter(namespace: namespace, nodeID: self.nodeID, channel: channel, publisher: self.publisher, logger: self.logger)
        self.adapters.withLock { $0[channel] = adapter }
        return adapter
    }

    /// Hands a message from Redis to the adapter of its channel's namespace: pass it as the
    /// subscriber's `onMessage`. Messages this node published itself are ignored.
    /// - Parameters:
    ///   - channel: The channel the message was published on.
    ///   - payload: The message.
    @Sendable
    public func receive(channel: String, payload: ByteBuffer) {
        self.adapters.withLock { $0[channel] }?.receive(payload)
    }

    /// The sum of every namespace adapter's counters.
    public var counts: RedisAdapterCounters {
        self.adapters.withLock { adapters in
            adapters.values.reduce(into: RedisAdapterCounters()) { total, adapter in
                let counts = adapter.counts
                total.published += counts.published
                total.received += counts.received
                total.publishFailures += counts.publishFailures
            }
        }
    }
}
