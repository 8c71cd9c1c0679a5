import ArgumentParser
import Foundation
import Logging
import PayNotifyServer
import Redis
import SocketIO
import SocketIORedisAdapter

/// Publishes one event into a running cluster through Redis, as Node's `@socket.io/redis-emitter`
/// does, without being a node: for operators and scripts (an announcement to a room, a payment
/// event sent again by hand). Every node of the cluster, PayNotify's and Node's, delivers it.
struct EmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Publish a Socket.IO event to a cluster's sockets through Redis (as @socket.io/redis-emitter).",
        discussion: """
            Redis and the channel prefix come from REDIS_URL and REDIS_CHANNEL_PREFIX (environment or .env, \
            as serve reads them) unless given here. Each argument is one JSON value.

              paynotify emit --to booking_BK-1 transaction_success '{"bookingId":"BK-1","transactionId":"t-1"}'
              paynotify emit --namespace /admin --except ops maintenance '"at 02:00 UTC"'
            """
    )

    @Argument(help: "The event's name.")
    var event: String

    @Argument(help: "Its arguments, each a JSON value (an object, a string in quotes, a number, …).")
    var arguments: [String] = []

    @Option(help: "Only the sockets in this room (repeatable: in any of them).")
    var to: [String] = []

    @Option(help: "Not the sockets in this room (repeatable).")
    var except: [String] = []

    @Option(help: "The namespace.")
    var namespace = "/"

    @Flag(help: "Dropped for sockets that cannot take it at once.")
    var volatile = false

    @Option(help: "Redis to publish through (REDIS_URL).")
    var redisUrl: String?

    @Option(help: "The cluster's channel prefix (REDIS_CHANNEL_PREFIX).")
    var channelPrefix: String?

    /// The arguments as values, each refused with its position when it is not JSON.
    func values() throws -> [SocketIOValue] {
        try self.arguments.enumerated().map { index, text in
            do {
                return try SocketIOValue(json: text)
            } catch {
                throw ValidationError("argument \(index + 1) is not a JSON value (\(error)): \(text)")
            }
        }
    }

    func validate() throws {
        _ = try self.values()
        guard !SocketIOPacket.reservedEventNames.contains(self.event) else {
            throw ValidationError(RedisEmitterError.reservedEventName(self.event).description)
        }
    }

    func run() async throws {
        var flags: [String: String] = [:]
        flags["REDIS_URL"] = self.redisUrl
        flags["REDIS_CHANNEL_PREFIX"] = self.channelPrefix
        let configuration = try ConfigurationOptions.load(flags: flags)
        guard let redis = configuration.redis else {
            throw ValidationError("no Redis to publish through: give --redis-url or set REDIS_URL")
        }
        guard configuration.cluster.adapter == .classic else {
            throw ValidationError("the cluster uses the sharded adapter (REDIS_ADAPTER=sharded), whose nodes the emitter's messages do not reach")
        }
        let client = RedisClient(configuration: redis, logger: Logger(label: "paynotify.emit", factory: { _ in SwiftLogNoOpLogHandler() }))
        var emitter = RedisEmitter(publisher: client, key: configuration.cluster.channelPrefix, namespace: self.namespace).to(self.to).except(self.except)
        if self.volatile { emitter = emitter.volatile }
        do {
            try await emitter.emit(self.event, arguments: try self.values())
        } catch {
            FileHandle.standardError.write(Data("Not published: \(error)\n".utf8))
            throw ExitCode.failure
        }
        print("Published \(self.event) to \(self.to.isEmpty ? "every socket" : "rooms \(self.to.joined(separator: ", "))") of \(self.namespace)")
    }
}
