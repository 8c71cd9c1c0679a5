import AsyncHTTPClient

/// `fanout`: M connections all watch the same bookings; one webhook per round, and the time
/// from the webhook to the last member's delivery.
public struct FanoutScenario: Sendable {
    let settings: BenchSettings
    let members: Int
    let rounds: Int
    let webhookURL: String?

    public init(settings: BenchSettings, members: Int, rounds: Int, webhookURL: String?) {
        self.settings = settings
        self.members = members
        self.rounds = rounds
        self.webhookURL = webhookURL
    }

    public func run() async throws -> BenchReport {
        let run = BenchRun(settings: self.settings)
        var report = BenchReport(scenario: "fanout")
        let runID = run.runID
        let bookings = (0..<self.rounds).map { "fanout-\(runID)-\($0)" }
        let (channels, _) = try await run.openConnections(self.members, into: &report) { _ in bookings }
        let sender = run.makeWebhookSender(url: self.webhookURL)
        var lastDeliveries: [Duration] = []
        for (round, booking) in bookings.enumerated() {
            let outcome = await sender.send(to: [booking], rate: 1, concurrency: 1)
            try await run.awaitDeliveries((round + 1) * channels.count * outcome.accepted, within: .seconds(10))
            if let last = run.recorder.lastDeliveryDelay(of: booking) { lastDeliveries.append(last) }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await sender.client.shutdown()
        report.add("rounds", .count(self.rounds))
        report.add("delivered", .count(run.recorder.latencies.count))
        report.add("expected", .count(self.rounds * channels.count))
        report.add("last_delivery_ms", .latency(LatencySummary(lastDeliveries)))
        report.add("every_delivery_ms", .latency(LatencySummary(run.recorder.latencies)))
        try await run.finish(channels, into: &report)
        return report
    }
}
