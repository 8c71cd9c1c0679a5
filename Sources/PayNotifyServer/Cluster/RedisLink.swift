import Redis
import SocketIORedisAdapter

/// A cluster node's link to Redis, as metrics read it: the adapters' publish and receive counts
/// and the subscriber's reconnects.
struct RedisLink: Sendable {
    let adapters: any RedisClusterAdapterFactory
    let subscriber: RedisSubscriber
}
