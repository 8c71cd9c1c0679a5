/// `ramp`: with N subscribed connections held, posts a fixed number of webhooks at each rate
/// of a rising list until a step misses (see `RampStep.miss`), and reports the last rate that
/// passed: the highest webhook rate the server sustains.
public struct RampScenario: Sendable {
    let settings: BenchSettings
    let connections: Int
    /// Webhooks per second, one step each, ascending; at most 20 (each connection watches a
    /// booking per step, and PayNotify lets a socket watch 20 by default).
    let rates: [Double]
    let webhooksPerStep: Int
    /// A step whose webhook → event p99 is above this misses.
    let p99Limit: Duration
    let webhookConcurrency: Int
    let webhookURL: String?

    /// Steps from 1,000 to 16,000 webhooks per second.
    public static let defaultRates = [1_000, 2_000, 3_000, 4_000, 6_000, 8_000, 12_000, 16_000]

    public init(
        settings: BenchSettings,
        connections: Int,
        rates: [Double],
        webhooksPerStep: Int,
        p99Limit: Duration,
        webhookConcurrency: Int,
        webhookURL: String?
    ) {
        self.settings = settings
        self.connections = connections
        self.rates = rates.sorted()
        self.webhooksPerStep = webhooksPerStep
        self.p99Limit = p99Limit
        self.webhookConcurrency = webhookConcurrency
        self.webhookURL = webhookURL
    }

    public func run() async throws -> BenchReport {
        let run = BenchRun(settings: self.settings)
        var report = BenchReport(scenario: "ramp")
        let runID = run.runID
        let steps = self.rates.count
        // Every webhook pays a booking of its own: connection i watches one booking per step.
        let booking: @Sendable (Int, Int) -> String = { connection, step in "ramp-\(runID)-\(connection)-\(step)" }
        let (channels, _) = try await run.openConnections(0..<self.connections, into: &report) { connection in
            (0..<steps).map { booking(connection, $0) }
        }
        let sender = try await run.makeWebhookSender(url: self.webhookURL, connections: self.webhookConcurrency)
        var sustained = 0.0
        for (step, rate) in self.rates.enumerated() {
            let targets = (0..<channels.count).shuffled().prefix(self.webhooksPerStep).map { booking($0, step) }
            let before = run.recorder.tally
            let load = try await run.measureLoad {
                let outcome = try await sender.send(to: targets, rate: rate)
                try await run.awaitDeliveries(before.delivered + outcome.accepted, within: .seconds(10))
                return outcome
            }
            let result = RampStep(
                rate: rate,
                outcome: load.result,
                tally: run.recorder.tally.since(before),
                latency: LatencySummary(run.recorder.latencies(after: before.delivered))
            )
            let prefix = "at_\(Int(rate))_"
            result.outcome.report(prefix: prefix, into: &report)
            result.tally.report(expected: result.outcome.sent, into: &report, prefix: prefix)
            report.add(prefix + "webhook_to_event_ms", .latency(result.latency))
            load.report(per: result.outcome.sent, "webhook", prefix: prefix, into: &report)
            let miss = result.miss(p99Limit: self.p99Limit)
            report.add(prefix + "verdict", .text(miss ?? "pass"))
            if miss != nil { break }
            sustained = rate
        }
        sender.close()
        report.add("p99_limit_ms", .number(self.p99Limit.milliseconds))
        report.add("max_sustained_per_second", .number(sustained))
        try await run.finish(channels, into: &report)
        return report
    }
}
