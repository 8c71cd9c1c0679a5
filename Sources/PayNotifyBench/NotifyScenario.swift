/// `notify`: with N subscribed connections held, posts W webhooks at rate R to distinct random
/// subscribed bookings and measures webhook sent → `transaction_success` received.
public struct NotifyScenario: Sendable {
    let settings: BenchSettings
    let connections: Int
    let webhooks: Int
    let rate: Double
    let webhookConcurrency: Int
    /// Where webhooks go; defaults to the target's `/webhook/payment` (another node's, in a cluster).
    let webhookURL: String?

    public init(settings: BenchSettings, connections: Int, webhooks: Int, rate: Double, webhookConcurrency: Int, webhookURL: String?) {
        self.settings = settings
        self.connections = connections
        self.webhooks = webhooks
        self.rate = rate
        self.webhookConcurrency = webhookConcurrency
        self.webhookURL = webhookURL
    }

    public func run() async throws -> BenchReport {
        let run = BenchRun(settings: self.settings)
        var report = BenchReport(scenario: "notify")
        let runID = run.runID
        let booking: @Sendable (Int) -> String = { "bench-\(runID)-\($0)" }
        let (channels, serverBefore) = try await run.openConnections(0..<self.connections, into: &report) { [booking($0)] }
        // A paid booking is never announced twice (and the Node reference announces every
        // webhook), so each webhook pays a different booking.
        let targets = Array((0..<channels.count).shuffled().prefix(self.webhooks).map(booking))
        let sender = try await run.makeWebhookSender(url: self.webhookURL, connections: self.webhookConcurrency)
        let load = try await run.measureLoad {
            let outcome = try await sender.send(to: targets, rate: self.rate)
            try await run.awaitDeliveries(outcome.accepted, within: .seconds(10))
            return outcome
        }
        sender.close()
        let outcome = load.result
        outcome.report(into: &report)
        run.recorder.tally.report(expected: outcome.sent, into: &report)
        report.add("webhook_to_event_ms", .latency(LatencySummary(run.recorder.latencies)))
        load.report(per: outcome.sent, "webhook", into: &report)
        try await run.hold(channels, serverBefore: serverBefore, into: &report)
        try await run.finish(channels, into: &report)
        return report
    }
}
