public import SocketIORedisAdapter

/// How a cluster node speaks to the others through Redis (`REDIS_ADAPTER`, …): the protocol of
/// Node's classic `createAdapter` or of its `createShardedAdapter`, and the channel prefix, so
/// that PayNotify nodes join a cluster of Node socket.io servers configured the same way.
public struct ClusterConfiguration: Sendable, Equatable {
    public enum Adapter: Sendable, Equatable {
        /// Redis pub/sub (`PUBLISH`/`PSUBSCRIBE`), the classic adapter: every request type,
        /// and the `@socket.io/redis-emitter` reaches the nodes.
        case classic
        /// Redis 7 sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`), with its subscription mode.
        case sharded(ShardedSubscriptionMode)
    }

    public var adapter = Adapter.classic
    /// Node's `key` (classic) or `channelPrefix` (sharded).
    public var channelPrefix = "socket.io"

    public init() {}

    static let variables: [(name: String, help: String)] = [
        ("REDIS_ADAPTER", "classic (Redis pub/sub, as Node's createAdapter) or sharded (Redis 7 sharded pub/sub, as createShardedAdapter) (default classic)"),
        ("REDIS_CHANNEL_PREFIX", "the start of every Redis channel name, as Node's key / channelPrefix; nodes sharing it form one cluster (default socket.io)"),
        ("REDIS_SUBSCRIPTION_MODE", "with REDIS_ADAPTER=sharded: static, dynamic or dynamic-private, as Node's subscriptionMode (default dynamic)"),
    ]

    static func load(from variables: [String: String]) throws(ConfigurationError) -> ClusterConfiguration {
        var configuration = ClusterConfiguration()
        let reader = VariableReader(variables: variables)
        if let prefix = reader.text("REDIS_CHANNEL_PREFIX") {
            guard !prefix.isEmpty, !prefix.contains(where: \.isWhitespace) else {
                throw ConfigurationError(variable: "REDIS_CHANNEL_PREFIX", "'\(prefix)' is not a channel prefix: non-empty, without spaces")
            }
            configuration.channelPrefix = prefix
        }
        let mode = try reader.text("REDIS_SUBSCRIPTION_MODE").map { text throws(ConfigurationError) in
            guard let mode = ShardedSubscriptionMode(rawValue: text.lowercased()) else {
                throw ConfigurationError(variable: "REDIS_SUBSCRIPTION_MODE", "'\(text)' is not one of static, dynamic, dynamic-private")
            }
            return mode
        }
        switch reader.text("REDIS_ADAPTER")?.lowercased() {
        case nil, "classic":
            if mode != nil {
                throw ConfigurationError(variable: "REDIS_SUBSCRIPTION_MODE", "only the sharded adapter has subscription modes: set REDIS_ADAPTER=sharded, or leave it out")
            }
        case "sharded":
            configuration.adapter = .sharded(mode ?? .dynamic)
        case let other?:
            throw ConfigurationError(variable: "REDIS_ADAPTER", "'\(other)' is not one of classic, sharded")
        }
        return configuration
    }
}
