/// How many packets per second one connection may send (a token bucket: `burst` at once,
/// refilled at `rate` per second). A connection over it is disconnected with `.rateLimited`.
public struct PacketRateLimit: Sendable, Hashable {
    public var rate: Double
    public var burst: Int

    public init(rate: Double, burst: Int) {
        precondition(rate > 0 && burst > 0, "a packet rate limit needs a positive rate and burst")
        self.rate = rate
        self.burst = burst
    }
}
