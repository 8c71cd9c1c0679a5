import NIOCore

/// `connect`: opens subscribed connections (each on its own booking) up to each count of
/// `steps` in turn, reading the server at every step, then holds them.
public struct ConnectScenario: Sendable {
    let settings: BenchSettings
    /// Connection counts to reach, ascending: `[10_000, 19_000]` reads the server at 10,000
    /// held connections, then opens 9,000 more. With several steps every figure's name ends
    /// in `_<count>`.
    let steps: [Int]

    public init(settings: BenchSettings, steps: [Int]) {
        self.settings = settings
        self.steps = steps.sorted()
    }

    public func run() async throws -> BenchReport {
        let run = BenchRun(settings: self.settings)
        var report = BenchReport(scenario: "connect")
        let runID = run.runID
        var channels: [any Channel] = []
        var baseline: ProcessStats?
        for (previous, count) in zip([0] + self.steps, self.steps) where count > previous {
            let suffix = self.steps.count > 1 ? "_\(count)" : ""
            let opened = try await run.openConnections(
                previous..<count,
                since: baseline.map { ($0, channels.count) },
                suffix: suffix,
                into: &report
            ) { ["bench-\(runID)-\($0)"] }
            channels += opened.channels
            baseline = baseline ?? opened.serverBefore
        }
        try await run.hold(channels, serverBefore: baseline, into: &report)
        try await run.finish(channels, into: &report)
        return report
    }
}
