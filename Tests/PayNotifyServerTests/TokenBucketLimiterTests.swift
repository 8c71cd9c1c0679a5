import Testing

@testable import PayNotifyServer

@Suite("Token bucket rate limiter")
struct TokenBucketLimiterTests {
    @Test(
        "A full bucket allows the burst at once, then refuses with a wait of at most one token's time",
        arguments: [(1.0, 1), (1.0, 3), (2.0, 5), (0.5, 2), (1.0, 40)]
    )
    func burstThenLimited(rate: Double, burst: Int) throws {
        let limiter = TokenBucketLimiter(rate: rate, burst: burst)
        #expect(limiter.rate == rate)
        #expect(limiter.burst == burst)
        for _ in 0..<burst {
            #expect(limiter.take(for: "203.0.113.9") == .allowed)
        }
        guard case .limited(let retryAfter) = limiter.take(for: "203.0.113.9") else {
            Issue.record("the request after the burst was allowed")
            return
        }
        #expect(retryAfter > 0)
        #expect(retryAfter <= 1 / rate)
    }

    @Test("Refused requests do not reset or deepen the wait beyond one token")
    func repeatedRefusals() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 1)
        #expect(limiter.take(for: "a") == .allowed)
        for _ in 0..<5 {
            guard case .limited(let retryAfter) = limiter.take(for: "a") else {
                Issue.record("allowed while the bucket is empty")
                return
            }
            #expect(retryAfter > 0 && retryAfter <= 1)
        }
    }

    @Test("Each key has its own bucket")
    func separateKeys() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 2)
        #expect(limiter.take(for: "a") == .allowed)
        #expect(limiter.take(for: "a") == .allowed)
        #expect(limiter.take(for: "a") != .allowed)
        #expect(limiter.take(for: "b") == .allowed)
        #expect(limiter.take(for: "b") == .allowed)
        #expect(limiter.take(for: "b") != .allowed)
        #expect(limiter.take(for: "c") == .allowed)
        #expect(limiter.take(for: "a") != .allowed)
    }

    @Test("An emptied bucket refills at its rate")
    func refill() async throws {
        let limiter = TokenBucketLimiter(rate: 1000, burst: 1)
        #expect(limiter.take(for: "a") == .allowed)
        // 20 ms is 20 tokens at 1000/s, capped at the burst of 1.
        try await Task.sleep(for: .milliseconds(20))
        #expect(limiter.take(for: "a") == .allowed)
    }

    @Test("Refilling never exceeds the burst")
    func refillCappedAtBurst() async throws {
        // At 20/s, 200 ms of sleep is 4 tokens; only the burst of 2 is kept. One more token
        // would take another 50 ms of the quick loop below, two more 100 ms.
        let limiter = TokenBucketLimiter(rate: 20, burst: 2)
        #expect(limiter.take(for: "a") == .allowed)
        try await Task.sleep(for: .milliseconds(200))
        var allowed = 0
        for _ in 0..<10 where limiter.take(for: "a") == .allowed { allowed += 1 }
        #expect(allowed >= 2)
        #expect(allowed <= 3)
    }
}

@Suite("Token bucket limiter bounds")
struct TokenBucketLimiterBoundTests {
    @Test("A full table forgets the longest-idle key instead of growing")
    func bounded() {
        let limiter = TokenBucketLimiter(rate: 0.001, burst: 1, maximumKeys: 2)
        #expect(limiter.take(for: "a") == .allowed)
        #expect(limiter.take(for: "b") == .allowed)
        #expect(limiter.take(for: "c") == .allowed)
        // "a" was forgotten to make room, so it starts with a full bucket again; "c" is still known.
        #expect(limiter.take(for: "a") == .allowed)
        if case .limited = limiter.take(for: "c") {} else { Issue.record("c should still be limited") }
    }
}
