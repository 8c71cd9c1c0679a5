import Synchronization

/// A token bucket per key (a client address, a socket): `burst` requests at once, refilled at
/// `rate` per second. Idle buckets are dropped, so an attacker rotating addresses cannot make
/// the table grow without bound past `maximumKeys`.
public final class TokenBucketLimiter: Sendable {
    /// The answer for one request.
    public enum Decision: Sendable, Hashable {
        case allowed
        /// Refused; a token will be available after this many seconds.
        case limited(retryAfter: Double)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let rate: Double
    public let burst: Double
    private let maximumKeys: Int
    private let clock = ContinuousClock()
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(rate: Double, burst: Int, maximumKeys: Int = 100_000) {
        precondition(rate > 0 && burst > 0, "a limiter needs a positive rate and burst")
        self.rate = rate
        self.burst = Double(burst)
        self.maximumKeys = maximumKeys
    }

    public func take(for key: String) -> Decision {
        let now = self.clock.now
        return self.buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: self.burst, updated: now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) / .seconds(1) * self.rate)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                decision = .limited(retryAfter: (1 - bucket.tokens) / self.rate)
            }
            if buckets[key] == nil, buckets.count >= self.maximumKeys {
                Self.dropFullBuckets(&buckets, now: now, rate: self.rate, burst: self.burst)
                // Still full (every key is busy): forget the one idle longest.
                if buckets.count >= self.maximumKeys, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
                    buckets[oldest] = nil
                }
            }
            buckets[key] = bucket
            return decision
        }
    }

    /// Forgets buckets that have refilled completely: they hold no state worth keeping.
    private static func dropFullBuckets(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant, rate: Double, burst: Double) {
        let fullAfter = Duration.seconds(burst / rate)
        buckets = buckets.filter { now - $0.value.updated < fullAfter }
    }
}
