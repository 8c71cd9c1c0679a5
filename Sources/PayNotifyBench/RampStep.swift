import Foundation

/// One rate of a `RampScenario`.
struct RampStep {
    let rate: Double
    let outcome: WebhookSender.Outcome
    let tally: DeliveryTally
    let latency: LatencySummary

    /// Why the step does not count as sustained, or nil when it does: every webhook accepted,
    /// every event delivered exactly once, p99 within the limit, and at least 95 % of the rate
    /// achieved (a server that answers slowly holds the sender back).
    func miss(p99Limit: Duration) -> String? {
        if self.outcome.accepted < self.outcome.sent {
            return "\(self.outcome.sent - self.outcome.accepted) webhooks refused"
        }
        if !self.tally.isExact(expected: self.outcome.sent) {
            let lost = max(0, self.outcome.sent - self.tally.delivered)
            return "lost \(lost), duplicated \(self.tally.duplicates), unexpected \(self.tally.unexpected)"
        }
        if self.latency.p99 > p99Limit.milliseconds {
            return String(format: "p99 %.1f ms over %.1f ms", self.latency.p99, p99Limit.milliseconds)
        }
        if self.outcome.rate < 0.95 * self.rate {
            return "achieved \(Int(self.outcome.rate))/s of \(Int(self.rate))/s"
        }
        return nil
    }
}
