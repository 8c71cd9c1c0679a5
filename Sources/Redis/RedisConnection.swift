import NIOCore
import NIOPosix

/// One TCP connection to Redis, logged in and on the configured database.
final class RedisConnection: Sendable {
    private let channel: any Channel
    private let commandTimeout: Duration

    private init(channel: any Channel, commandTimeout: Duration) {
        self.channel = channel
        self.commandTimeout = commandTimeout
    }

    static func connect(
        _ configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup,
        onMessage: (@Sendable (String, ByteBuffer) -> Void)? = nil
    ) async throws(RedisError) -> RedisConnection {
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RESPChannelHandler(onMessage: onMessage))
                    }
                }
                .connect(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            throw .unavailable("cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        let connection = RedisConnection(channel: channel, commandTimeout: configuration.commandTimeout)
        do {
            for command in configuration.handshake {
                _ = try await connection.send(command)
            }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    var isActive: Bool { self.channel.isActive }

    /// Completes when the connection closes, whoever closed it.
    func waitUntilClosed() async {
        try? await self.channel.closeFuture.get()
    }

    /// Sends a command and waits for its reply. A reply that does not come in time closes the
    /// connection: later replies could no longer be matched to their commands.
    func send(_ command: RESPCommand) async throws(RedisError) -> RESPValue {
        let reply = self.channel.eventLoop.makePromise(of: RESPValue.self)
        let timeout = self.channel.eventLoop.scheduleTask(in: TimeAmount(self.commandTimeout)) {
            reply.fail(RedisError.timeout(command: command.name))
            self.close()
        }
        self.channel.writeAndFlush((command, reply), promise: nil)
        let value: RESPValue
        do {
            value = try await reply.futureResult.get()
        } catch let error as RedisError {
            timeout.cancel()
            throw error
        } catch {
            timeout.cancel()
            throw .unavailable("\(error)")
        }
        timeout.cancel()
        if case .error(let message) = value { throw .server(command: command.name, message: message) }
        return value
    }

    func close() {
        self.channel.close(promise: nil)
    }
}
