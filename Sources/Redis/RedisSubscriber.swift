import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Receives messages published on Redis channels, on a connection of its own (a subscribed
/// connection can run no other command). A `Service`: it connects when run, and after a lost
/// connection reconnects with backoff and subscribes again to every channel.
public final class RedisSubscriber: Service {
    public typealias MessageHandler = @Sendable (_ channel: String, _ payload: ByteBuffer) -> Void

    private struct State {
        var channels: Set<String> = []
        var connection: RedisConnection?
        var reconnects = 0
    }

    public let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onMessage: MessageHandler
    private let state = Mutex(State())

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
        let connection = self.state.withLock { state in
            state.channels.insert(channel).inserted ? state.connection : nil
        }
        guard let connection else { return }
        do {
            _ = try await connection.send(RESPCommand("SUBSCRIBE", channel))
        } catch {
            // The connection is gone; the reconnect loop subscribes to every channel again.
            self.logger.debug("SUBSCRIBE failed, will retry on reconnect", metadata: ["channel": .string(channel), "error": "\(error)"])
        }
    }

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
                let channels = self.state.withLock { state in
                    state.connection = connection
                    return state.channels
                }
                for channel in channels {
                    _ = try await connection.send(RESPCommand("SUBSCRIBE", channel))
                }
                if failures > 0 { self.logger.notice("Redis subscription restored", metadata: ["channels": "\(channels.count)"]) }
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
