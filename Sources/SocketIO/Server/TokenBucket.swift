/// A token bucket: `burst` tokens at most, refilled at `rate` per second; each request takes one.
/// The value type behind the per-connection packet limit, reusable for any other rate limit.
public struct TokenBucket: Sendable {
    /// Tokens added per second.
    public let rate: Double
    /// The most tokens the bucket holds.
    public let burst: Double
    /// Tokens left as of `updated`.
    public private(set) var tokens: Double
    /// When the bucket last changed; a bucket untouched long enough is full again.
    public private(set) var updated: ContinuousClock.Instant

    /// A full bucket.
    /// - Parameters:
    ///   - rate: Tokens per second, above zero.
    ///   - burst: Capacity, at least one.
    ///   - now: The time the bucket starts full at.
    public init(rate: Double, burst: Int, now: ContinuousClock.Instant = .now) {
        precondition(rate > 0 && burst > 0, "a token bucket needs a positive rate and burst")
        self.rate = rate
        self.burst = Double(burst)
        self.tokens = Double(burst)
        self.updated = now
    }

    /// Takes a token; false when none is left.
    public mutating func take(now: ContinuousClock.Instant = .now) -> Bool {
        self.tokens = min(self.burst, self.tokens + (now - self.updated) / .seconds(1) * self.rate)
        self.updated = now
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }

    /// Seconds until the next token, after a refused `take`.
    public var secondsUntilNextToken: Double { max(0, 1 - self.tokens) / self.rate }

    /// Whether the bucket has refilled completely by `now`: it then holds nothing worth keeping.
    public func isFull(at now: ContinuousClock.Instant) -> Bool {
        self.tokens + (now - self.updated) / .seconds(1) * self.rate >= self.burst
    }
}
