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

/// The bucket of one connection.
struct PacketBudget {
    private let limit: PacketRateLimit
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(limit: PacketRateLimit, now: ContinuousClock.Instant) {
        self.limit = limit
        self.tokens = Double(limit.burst)
        self.updated = now
    }

    /// Takes one packet's token; false when the connection is over its rate.
    mutating func spend(now: ContinuousClock.Instant) -> Bool {
        self.tokens = min(Double(self.limit.burst), self.tokens + (now - self.updated) / .seconds(1) * self.limit.rate)
        self.updated = now
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }
}
