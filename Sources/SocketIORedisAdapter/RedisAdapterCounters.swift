/// What a `RedisAdapter` has sent and received.
public struct RedisAdapterCounters: Sendable, Hashable {
    public internal(set) var published = 0
    public internal(set) var received = 0
    public internal(set) var publishFailures = 0
}
