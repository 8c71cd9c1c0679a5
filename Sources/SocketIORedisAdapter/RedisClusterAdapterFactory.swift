public import Redis
public import SocketIO

/// What both Redis adapter factories (`RedisAdapterFactory`, `ShardedRedisAdapterFactory`) give
/// the server that runs them: its node id, the subscriber to run as a service, and counters.
public protocol RedisClusterAdapterFactory: SocketIOAdapterFactory {
    /// This node's id in the cluster.
    var nodeID: String { get }
    /// Receives what the other nodes publish: run it as a service.
    var subscriber: RedisSubscriber { get }
    /// The sum of every namespace adapter's counters.
    var counts: RedisAdapterCounters { get }
}

extension RedisAdapterFactory: RedisClusterAdapterFactory {}
extension ShardedRedisAdapterFactory: RedisClusterAdapterFactory {}
