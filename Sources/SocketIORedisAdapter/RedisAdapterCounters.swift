/// What a node's Redis adapters have sent and received since it started
/// (`RedisAdapterFactory.counts`), for metrics: failures are broadcasts that reached this node's
/// sockets only.
public struct RedisAdapterCounters: Sendable, Hashable {
    /// Broadcast messages published for the other nodes: one per packet, as Node's adapter.
    public internal(set) var published = 0
    /// Broadcasts received from other nodes and delivered here (this node's own are not counted).
    public internal(set) var received = 0
    /// Broadcasts that could not be published (Redis unreachable): delivered on this node only.
    public internal(set) var publishFailures = 0

    mutating func add(_ other: RedisAdapterCounters) {
        self.published += other.published
        self.received += other.received
        self.publishFailures += other.publishFailures
    }
}
