import AsyncHTTPClient

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
        let (channels, serverBefore) = try await run.openConnections(self.connections, into: &report) { [booking($0)] }
        // A paid booking is never announced twice, so each webhook pays a different booking.
        let targets = Array((0..<channels.count).shuffled().prefix(self.webhooks).map(booking))
        let sender = run.makeWebhookSender(url: self.webhookURL)
        let serverBeforeWebhooks = try run.serverStats()
        let outcome = await sender.send(to: targets, rate: self.rate, concurrency: self.webhookConcurrency)
        try await run.awaitDeliveries(outcome.accepted, within: .seconds(10))
        let serverAfterWebhooks = try run.serverStats()
        try await sender.client.shutdown()
        report.add("webhooks_sent", .count(outcome.sent))
        report.add("webhooks_accepted", .count(outcome.accepted))
        for (reason, times) in outcome.refused.sorted(by: { $0.value > $1.value }).prefix(3) {
            report.add("webhook_refused", .text("\(times)× \(reason)"))
        }
        report.add("webhooks_per_second", .number(Double(outcome.sent) / max(outcome.elapsed.seconds, 0.001)))
        report.add("delivered", .count(run.recorder.latencies.count))
        report.add("webhook_to_event_ms", .latency(LatencySummary(run.recorder.latencies)))
        if let before = serverBeforeWebhooks, let after = serverAfterWebhooks, outcome.sent > 0 {
            report.add("server_cpu_ms_per_webhook", .number((after.cpu - before.cpu).milliseconds / Double(outcome.sent)))
        }
        try await run.hold(channels, serverBefore: serverBefore, into: &report)
        try await run.finish(channels, into: &report)
        return report
    }
}
