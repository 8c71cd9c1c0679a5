import SocketIO
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

    public let rate: Double
    public let burst: Int
    private let maximumKeys: Int
    private let buckets = Mutex<[String: TokenBucket]>([:])

    public init(rate: Double, burst: Int, maximumKeys: Int = 100_000) {
        precondition(rate > 0 && burst > 0, "a limiter needs a positive rate and burst")
        self.rate = rate
        self.burst = burst
        self.maximumKeys = maximumKeys
    }

    public func take(for key: String) -> Decision {
        let now = ContinuousClock.now
        return self.buckets.withLock { buckets in
            if buckets[key] == nil, buckets.count >= self.maximumKeys {
                Self.makeRoom(in: &buckets, now: now, maximumKeys: self.maximumKeys)
            }
            var bucket = buckets[key] ?? TokenBucket(rate: self.rate, burst: self.burst, now: now)
            let allowed = bucket.take(now: now)
            buckets[key] = bucket
            return allowed ? .allowed : .limited(retryAfter: bucket.secondsUntilNextToken)
        }
    }

    /// Forgets buckets that have refilled completely (they hold no state worth keeping), and if
    /// every key is busy, the one idle longest.
    private static func makeRoom(in buckets: inout [String: TokenBucket], now: ContinuousClock.Instant, maximumKeys: Int) {
        buckets = buckets.filter { !$0.value.isFull(at: now) }
        if buckets.count >= maximumKeys, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
            buckets[oldest] = nil
        }
    }
}
