public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// A Redis client on one connection, re-made on demand after a failure.
///
/// While Redis is down, commands fail at once with `.unavailable` instead of queueing: the
/// caller decides (a webhook answers 503, a broadcast stays local). Reconnection attempts back
/// off exponentially from 100 ms to 5 s.
public final class RedisClient: RedisCommandExecutor {
    private struct State {
        var connection: RedisConnection?
        var connecting: Task<RedisConnection, any Error>?
        var consecutiveFailures = 0
        var nextAttempt = ContinuousClock.now
    }

    let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    /// Makes the client; it connects at its first command.
    /// - Parameters:
    ///   - configuration: Where Redis is, how to log in, and the time limits.
    ///   - eventLoopGroup: Runs the connection.
    ///   - logger: Where lost and restored connections are logged.
    public init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Sends a command on the client's connection (connecting first if need be) and waits for
    /// its reply. A failure other than an error reply drops the connection; the next command
    /// makes a new one.
    /// - Parameter command: The command.
    /// - Returns: Redis's reply.
    /// - Throws: `RedisError`: `.server` for an error reply, `.unavailable` while Redis cannot
    ///   be reached or the client backs off, `.timeout` past the command timeout.
    public func send(_ command: RESPCommand) async throws(RedisError) -> RESPValue {
        let connection = try await self.connection()
        do {
            return try await connection.send(command)
        } catch {
            if error.code == .server { throw error }
            // The connection is unusable; the next command makes a new one.
            self.state.withLock { if $0.connection === connection { $0.connection = nil } }
            connection.close()
            throw error
        }
    }

    /// Whether Redis answers now (for readiness checks).
    public func ping() async -> Bool {
        (try? await self.send(RESPCommand("PING")))?.string == "PONG"
    }

    /// Closes the connection; a later command opens a new one.
    public func close() {
        let connection = self.state.withLock { state in
            defer { state.connection = nil }
            return state.connection
        }
        connection?.close()
    }

    private func connection() async throws(RedisError) -> RedisConnection {
        enum Next { case ready(RedisConnection), wait(Task<RedisConnection, any Error>), backingOff(Duration) }
        let now = ContinuousClock.now
        let next: Next = self.state.withLock { state in
            if let connection = state.connection, connection.isActive { return .ready(connection) }
            if let task = state.connecting { return .wait(task) }
            if now < state.nextAttempt { return .backingOff(state.nextAttempt - now) }
            let task = Task { [configuration, eventLoopGroup] () throws -> RedisConnection in
                try await RedisConnection.connect(configuration, eventLoopGroup: eventLoopGroup)
            }
            state.connecting = task
            return .wait(task)
        }
        switch next {
        case .ready(let connection):
            return connection
        case .backingOff(let remaining):
            throw .unavailable("reconnecting in \(remaining)")
        case .wait(let task):
            do {
                let connection = try await task.value
                self.state.withLock { state in
                    if state.connecting == task {
                        state.connecting = nil
                        state.connection = connection
                        if state.consecutiveFailures > 0 { self.logger.notice("Redis connection restored") }
                        state.consecutiveFailures = 0
                    }
                }
                return connection
            } catch {
                let redisError = (error as? RedisError) ?? .unavailable("\(error)")
                self.state.withLock { state in
                    guard state.connecting == task else { return }
                    state.connecting = nil
                    state.consecutiveFailures += 1
                    let backoff = Self.backoff(afterFailures: state.consecutiveFailures)
                    state.nextAttempt = ContinuousClock.now + backoff
                    self.logger.warning("Redis connection failed", metadata: ["error": "\(redisError)", "retryIn": "\(backoff)"])
                }
                throw redisError
            }
        }
    }

    /// 100 ms doubling per consecutive failure, at most 5 s.
    static func backoff(afterFailures failures: Int) -> Duration {
        min(.milliseconds(100) * (1 << min(max(failures - 1, 0), 16)), .seconds(5))
    }
}
