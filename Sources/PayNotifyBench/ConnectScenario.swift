/// `connect`: opens N subscribed connections (each on its own booking), then holds them.
public struct ConnectScenario: Sendable {
    let settings: BenchSettings
    let connections: Int

    public init(settings: BenchSettings, connections: Int) {
        self.settings = settings
        self.connections = connections
    }

    public func run() async throws -> BenchReport {
        let run = BenchRun(settings: self.settings)
        var report = BenchReport(scenario: "connect")
        let runID = run.runID
        let (channels, serverBefore) = try await run.openConnections(self.connections, into: &report) { ["bench-\(runID)-\($0)"] }
        try await run.hold(channels, serverBefore: serverBefore, into: &report)
        try await run.finish(channels, into: &report)
        return report
    }
}
