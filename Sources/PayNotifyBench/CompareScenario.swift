import Foundation

/// `compare`: the same scenarios against the Node reference and against PayNotify, one server
/// after the other in one run with the same load generator, and the figures side by side.
///
/// Both servers must be fresh when it starts: the first scenario, `connect`, reads their memory
/// per connection. Every later scenario opens its own connections and starts once both servers
/// are quiet (their CPU time has stopped rising), so one server's clean-up does not load the
/// other's measurement.
public struct CompareScenario: Sendable {
    /// The scenarios a comparison can run, in the order it runs them.
    public enum Part: String, CaseIterable, Sendable {
        case connect, upgrade, notify, ramp, fanout
    }

    /// What to run: the figures by default.
    public struct Plan: Sendable {
        public var parts: [Part] = Part.allCases
        /// Held connection counts at which memory is read (`ConnectScenario.steps`); CPU per
        /// connection is that of the first step.
        public var connectionSteps = [10_000, 19_000]
        /// Connections opened on the default transports (long-polling, then the upgrade) in
        /// `upgrade`, and how many at a time: the upgrade check's 2,000 and 50.
        public var upgradeConnections = 2_000
        public var upgradeConcurrency = 50
        /// Subscribed connections during `notify` and `ramp`.
        public var subscribers = 10_000
        public var webhooks = 10_000
        public var rate = 2_000.0
        public var rampRates = RampScenario.defaultRates.map(Double.init)
        public var rampWebhooks = 5_000
        public var p99Limit = Duration.milliseconds(20)
        public var webhookConcurrency = 32
        public var members = 5_000
        public var rounds = 5
        /// Threads of the bench during `fanout`, and how it reads the members: reading every
        /// member's socket must not be what is measured.
        public var fanoutThreads = 2
        public var fanoutReader = FanoutScenario.Reader.epoll

        public init() {}
    }

    let reference: BenchSettings
    let paynotify: BenchSettings
    let plan: Plan

    /// - Parameters:
    ///   - reference: the Node reference (`subscriptionsAcknowledged` false).
    ///   - paynotify: PayNotify.
    public init(reference: BenchSettings, paynotify: BenchSettings, plan: Plan) {
        self.reference = reference
        self.paynotify = paynotify
        self.plan = plan
    }

    /// Runs the plan; `progress` gets each scenario's report as it completes, with `server`
    /// ("node" or "paynotify") among its figures.
    public func run(progress: (BenchReport) -> Void) async throws -> Comparison {
        var comparison = Comparison()
        comparison.loadAverages.append(("start", Self.loadAverage()))
        for part in self.plan.parts {
            var reports: [BenchReport] = []
            for (server, settings) in [("node", self.reference), ("paynotify", self.paynotify)] {
                try await self.awaitQuietServers()
                var report = try await self.run(part, with: settings)
                report.add("server", .text(server))
                progress(report)
                reports.append(report)
            }
            comparison.rows += self.rows(of: part, node: reports[0], paynotify: reports[1])
            comparison.loadAverages.append(("after \(part.rawValue)", Self.loadAverage()))
        }
        return comparison
    }

    private func run(_ part: Part, with settings: BenchSettings) async throws -> BenchReport {
        let plan = self.plan
        switch part {
        case .connect:
            return try await ConnectScenario(settings: settings, steps: plan.connectionSteps).run()
        case .upgrade:
            var settings = settings
            settings.transportPath = .pollingThenUpgrade
            settings.concurrency = plan.upgradeConcurrency
            var report = try await ConnectScenario(settings: settings, steps: [plan.upgradeConnections]).run()
            report.add("transports", .text("polling, then websocket"))
            return report
        case .notify:
            return try await NotifyScenario(
                settings: settings,
                connections: plan.subscribers,
                webhooks: plan.webhooks,
                rate: plan.rate,
                webhookConcurrency: plan.webhookConcurrency,
                webhookURL: nil
            ).run()
        case .ramp:
            return try await RampScenario(
                settings: settings,
                connections: plan.subscribers,
                rates: plan.rampRates,
                webhooksPerStep: plan.rampWebhooks,
                p99Limit: plan.p99Limit,
                webhookConcurrency: plan.webhookConcurrency,
                webhookURL: nil
            ).run()
        case .fanout:
            var settings = settings
            settings.threads = plan.fanoutThreads
            return try await FanoutScenario(
                settings: settings,
                members: plan.members,
                rounds: plan.rounds,
                webhookURL: nil,
                reader: plan.fanoutReader
            ).run()
        }
    }

    private func awaitQuietServers() async throws {
        for pid in [self.reference.serverPID, self.paynotify.serverPID].compactMap({ $0 }) {
            _ = try await ProcessStats.whenQuiet(pid: pid)
        }
    }

    /// `/proc/loadavg`'s first three fields: the machine is shared, so figures carry it.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
