/// A token bucket: `burst` tokens at most, refilled at `rate` per second; each request takes one.
/// The value type behind the per-connection packet limit. `package`: the app's HTTP rate limits
/// reuse it, but it is no part of the Socket.IO library's API.
package struct TokenBucket: Sendable {
    /// Tokens added per second.
    package let rate: Double
    /// The most tokens the bucket holds.
    package let burst: Double
    /// Tokens left as of `updated`.
    package private(set) var tokens: Double
    /// When the bucket last changed; a bucket untouched long enough is full again.
    package private(set) var updated: ContinuousClock.Instant

    /// A full bucket.
    /// - Parameters:
    ///   - rate: Tokens per second, above zero.
    ///   - burst: Capacity, at least one.
    ///   - now: The time the bucket starts full at.
    package init(rate: Double, burst: Int, now: ContinuousClock.Instant = .now) {
        precondition(rate > 0 && burst > 0, "a token bucket needs a positive rate and burst")
        self.rate = rate
        self.burst = Double(burst)
        self.tokens = Double(burst)
        self.updated = now
    }

    /// Takes a token; false when none is left.
    package mutating func take(now: ContinuousClock.Instant = .now) -> Bool {
        self.tokens = min(self.burst, self.tokens + (now - self.updated) / .seconds(1) * self.rate)
        self.updated = now
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }

    /// Seconds until the next token, after a refused `take`.
    package var secondsUntilNextToken: Double { max(0, 1 - self.tokens) / self.rate }

    /// Whether the bucket has refilled completely by `now`: it then holds nothing worth keeping.
    package func isFull(at now: ContinuousClock.Instant) -> Bool {
        self.tokens + (now - self.updated) / .seconds(1) * self.rate >= self.burst
    }
}
