import ArgumentParser
import PayNotifyBench

extension BenchCommand {
    /// `paynotify bench compare`: the Node reference and PayNotify side by side, in one run.
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the scenarios against the Node reference, then PayNotify, and print the figures side by side.",
            discussion: """
                Both servers must be running, FRESH (connect reads their memory per connection first),
                with the bench's limits raised (see `paynotify bench --help`); Benchmarks/compare.sh starts
                them so. For each of connect, upgrade (the default transports: long-polling, then the websocket
                upgrade), notify, ramp and fanout the Node reference runs first, then
                PayNotify, each once both servers are quiet. Prints every scenario's report, then the
                comparison table and its JSON line. Exits non-zero when a goal is missed.
                """
        )

        private static let defaults = CompareScenario.Plan()

        @Option(help: "The Node reference server's base URL.")
        var reference: String

        @Option(help: "The Node reference server's PID.")
        var referencePid: Int32

        @Option(help: "PayNotify's base URL.")
        var server: String

        @Option(help: "PayNotify's PID.")
        var serverPid: Int32

        @OptionGroup var client: Client

        @Option(help: "Scenarios to run, comma-separated, of connect,upgrade,notify,ramp,fanout.")
        var scenarios = CompareScenario.Part.allCases.map(\.rawValue).joined(separator: ",")

        @Option(help: "Held connection counts at which memory is read, comma-separated.")
        var connectionSteps = BenchCommand.list(Self.defaults.connectionSteps)

        @Option(help: "Connections opened on the default transports in upgrade.")
        var upgradeConnections = Self.defaults.upgradeConnections

        @Option(help: "Subscribed connections during notify and ramp.")
        var connections = Self.defaults.subscribers

        @Option(help: "Webhooks posted by notify.")
        var webhooks = Self.defaults.webhooks

        @Option(help: "Webhooks per second in notify.")
        var rate = Self.defaults.rate

        @Option(help: "Webhooks per second of each ramp step, comma-separated (at most 20).")
        var rampRates = BenchCommand.list(RampScenario.defaultRates)

        @Option(help: "Webhooks per ramp step.")
        var rampWebhooks = Self.defaults.rampWebhooks

        @Option(help: "Highest webhook → event p99 a ramp step may have, in milliseconds.")
        var p99Limit = Self.defaults.p99Limit / .milliseconds(1)

        @Option(help: "Webhooks in flight at once.")
        var webhookConcurrency = Self.defaults.webhookConcurrency

        @Option(name: [.short, .long], help: "Room members in fanout.")
        var members = Self.defaults.members

        @Option(help: "Fan-out rounds.")
        var rounds = Self.defaults.rounds

        @Option(help: "Threads of the bench during fanout.")
        var fanoutThreads = Self.defaults.fanoutThreads

        @Option(help: "How fanout reads the members: epoll (a C reader) or nio (the bench's client).")
        var fanoutReader = Self.defaults.fanoutReader

        func run() async throws {
            var plan = CompareScenario.Plan()
            plan.parts = try self.scenarios.split(separator: ",").map { name in
                guard let part = CompareScenario.Part(rawValue: String(name)) else {
                    throw ValidationError("--scenarios: \(name) is not one of \(CompareScenario.Part.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return part
            }
            plan.connectionSteps = try BenchCommand.numbers(self.connectionSteps, option: "connection-steps").map { Int($0) }
            plan.upgradeConnections = self.upgradeConnections
            plan.subscribers = self.connections
            plan.webhooks = self.webhooks
            plan.rate = self.rate
            plan.rampRates = try BenchCommand.rampRates(self.rampRates, option: "ramp-rates")
            plan.rampWebhooks = self.rampWebhooks
            plan.p99Limit = .microseconds(Int64(self.p99Limit * 1000))
            plan.webhookConcurrency = self.webhookConcurrency
            plan.members = self.members
            plan.rounds = self.rounds
            plan.fanoutThreads = self.fanoutThreads
            plan.fanoutReader = self.fanoutReader
            let comparison = try await CompareScenario(
                reference: try self.client.settings(url: self.reference, serverPID: self.referencePid, subscriptionsAcknowledged: false),
                paynotify: try self.client.settings(url: self.server, serverPID: self.serverPid, subscriptionsAcknowledged: true),
                plan: plan
            ).run { BenchCommand.print($0) }
            Swift.print(comparison.jsonLine)
            Swift.print(comparison.table)
            if !comparison.goalsMet { throw ExitCode(1) }
        }
    }
}
