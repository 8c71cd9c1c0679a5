public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// Receives messages published on Redis channels, on a connection of its own (a subscribed
/// connection can run no other command). A `Service`: it connects when run, and after a lost
/// connection reconnects with backoff and subscribes again to every channel and pattern.
public final class RedisSubscriber: Service {
    /// Called with each published message's channel and payload, on the connection's event
    /// loop: it must not block.
    public typealias MessageHandler = @Sendable (_ channel: String, _ payload: ByteBuffer) -> Void

    private struct State {
        /// `SUBSCRIBE` channels and `PSUBSCRIBE` patterns, as the commands that subscribe to them.
        var subscriptions: Set<RESPCommand> = []
        var connection: RedisConnection?
        var reconnects = 0
    }

    let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onMessage: MessageHandler
    private let state = Mutex(State())

    /// Makes the subscriber; it connects when run as a service.
    /// - Parameters:
    ///   - configuration: Where Redis is and how to log in.
    ///   - eventLoopGroup: Runs the connection.
    ///   - logger: Where lost and restored connections are logged.
    ///   - onMessage: Receives every message of the subscribed channels and patterns.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        onMessage: @escaping MessageHandler
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onMessage = onMessage
    }

    /// Whether the subscription connection is up (for readiness).
    public var isConnected: Bool { self.state.withLock { $0.connection?.isActive ?? false } }

    /// How many times the connection was re-made after a loss.
    public var reconnects: Int { self.state.withLock { $0.reconnects } }

    /// Subscribes to `channel`, now if connected, else as soon as the connection is made.
    public func subscribe(_ channel: String) async {
        await self.add(RESPCommand("SUBSCRIBE", channel))
    }

    /// Subscribes to every channel matching a glob-style `pattern` (`socket.io#*`).
    public func subscribe(pattern: String) async {
        await self.add(RESPCommand("PSUBSCRIBE", pattern))
    }

    /// Subscribes to a shard channel (`SSUBSCRIBE`, Redis 7): sharded pub/sub, whose messages
    /// stay on the shard that owns the channel.
    public func subscribe(shardChannel channel: String) async {
        await self.add(RESPCommand("SSUBSCRIBE", channel))
    }

    /// Ends a shard channel's subscription, now if connected; it is not made again on reconnect.
    public func unsubscribe(shardChannel channel: String) async {
        let connection = self.state.withLock { state in
            state.subscriptions.remove(RESPCommand("SSUBSCRIBE", channel)) != nil ? state.connection : nil
        }
        guard let connection else { return }
        do {
            try await self.send(RESPCommand("SUNSUBSCRIBE", channel), on: connection)
        } catch {
            // The connection is gone; the reconnect loop subscribes to what is left.
            self.logger.debug("Unsubscribing failed; the connection is gone", metadata: ["error": "\(error)"])
        }
    }

    private func add(_ subscription: RESPCommand) async {
        let connection = self.state.withLock { state in
            state.subscriptions.insert(subscription).inserted ? state.connection : nil
        }
        guard let connection else { return }
        do {
            try await self.send(subscription, on: connection)
        } catch {
            // The connection is gone; the reconnect loop subscribes to everything again.
            self.logger.debug("Subscribing failed, will retry on reconnect", metadata: ["error": "\(error)"])
        }
    }

    /// Sends a subscription (or unsubscription). One Redis refuses (an ACL without the channel, `SSUBSCRIBE` before
    /// Redis 7) is logged as an error and not retried: asking again would be refused again, and
    /// the connection's other subscriptions still work. Throws only when the connection failed.
    private func send(_ subscription: RESPCommand, on connection: RedisConnection) async throws(RedisError) {
        do {
            _ = try await connection.send(subscription)
        } catch where error.code == .server {
            self.logger.error("Redis refused a subscription", metadata: ["command": "\(subscription.name)", "error": "\(error)"])
        }
    }

    /// Keeps the subscription connection up until graceful shutdown: connects, subscribes to
    /// everything asked so far, and reconnects with backoff whenever the connection is lost.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.maintainSubscription()
        }
    }

    /// Connects, subscribes, waits for the connection to drop, and starts again, until cancelled.
    private func maintainSubscription() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let connection = try await RedisConnection.connect(self.configuration, eventLoopGroup: self.eventLoopGroup, onMessage: self.onMessage)
                let subscriptions = self.state.withLock { state in
                    state.connection = connection
                    return state.subscriptions
                }
                do {
                    for subscription in subscriptions { try await self.send(subscription, on: connection) }
                } catch {
                    // Not left behind half subscribed while the loop makes another connection.
                    connection.close()
                    self.state.withLock { $0.connection = nil }
                    throw error
                }
                if failures > 0 { self.logger.notice("Redis subscription restored", metadata: ["subscriptions": "\(subscriptions.count)"]) }
                failures = 0
                await withTaskCancellationHandler {
                    await connection.waitUntilClosed()
                } onCancel: {
                    connection.close()
                }
                self.state.withLock { state in
                    state.connection = nil
                    if !Task.isCancelled { state.reconnects += 1 }
                }
                if !Task.isCancelled { self.logger.warning("Redis subscription connection lost") }
            } catch {
                failures += 1
                let backoff = RedisClient.backoff(afterFailures: failures)
                self.logger.warning("Redis subscription failed", metadata: ["error": "\(error)", "retryIn": "\(backoff)"])
                try? await Task.sleep(for: backoff)
            }
        }
    }
}
