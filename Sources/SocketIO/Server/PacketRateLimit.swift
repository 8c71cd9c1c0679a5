/// How many packets per second one connection may send (a token bucket: `burst` at once,
/// refilled at `rate` per second). A connection over it is disconnected with `.rateLimited`.
public struct PacketRateLimit: Sendable, Hashable {
    /// Packets per second a connection may keep sending.
    public var rate: Double
    /// Packets a connection may send at once, after a quiet spell.
    public var burst: Int

    /// A limit of `rate` packets per second, `burst` at once.
    ///
    /// - Parameters:
    ///   - rate: Packets per second, above zero.
    ///   - burst: Packets at once, at least one.
    public init(rate: Double, burst: Int) {
        precondition(rate > 0 && burst > 0, "a packet rate limit needs a positive rate and burst")
        self.rate = rate
        self.burst = burst
    }
}
