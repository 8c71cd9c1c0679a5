import ArgumentParser
import PayNotifyBench

/// `paynotify bench connect|notify|fanout`: load scenarios against a running server.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a running server: connections, webhook→event latency, room fan-out.",
        discussion: """
            Start the server (release build) with limits raised for one source address, e.g.
            MAX_CONNECTIONS_PER_IP=100000 WEBHOOK_RATE_LIMIT=100000 WEBHOOK_RATE_BURST=100000, and raise
            the file-descriptor limit of both shells (ulimit -n 20000). Each scenario prints one JSON
            line and a table.
            """,
        subcommands: [Connect.self, Notify.self, Fanout.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "The server's base URL.")
        var url = "http://127.0.0.1:3000"

        @Option(help: "The server's PID, to report its memory and CPU time per connection.")
        var serverPid: Int32?

        @Option(help: "Connection attempts in flight at once.")
        var concurrency = 200

        @Option(help: "Connections per local address (127.0.0.1, .2, …) before using the next.")
        var connectionsPerAddress = 20_000

        @Option(help: "Event-loop threads of the bench.")
        var threads = 1

        @Option(help: "Seconds to hold the connections open (answering heartbeats) before closing.")
        var hold: Double = 0

        func settings() throws -> BenchSettings {
            BenchSettings(
                target: try BenchTarget(url: self.url),
                serverPID: self.serverPid,
                concurrency: self.concurrency,
                connectionsPerAddress: self.connectionsPerAddress,
                threads: self.threads,
                hold: .milliseconds(Int64(self.hold * 1000))
            )
        }
    }

    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open N subscribed connections, then hold them.")

        @OptionGroup var common: Common

        @Option(name: [.customShort("n"), .long], help: "Connections to open.")
        var connections = 1000

        func run() async throws {
            BenchCommand.print(try await ConnectScenario(settings: try self.common.settings(), connections: self.connections).run())
        }
    }

    struct Notify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "With N subscribed connections, post W webhooks at R per second.")

        @OptionGroup var common: Common

        @Option(name: [.customShort("n"), .long], help: "Subscribed connections to hold.")
        var connections = 1000

        @Option(help: "Webhooks to post (each pays a different subscribed booking; at most --connections).")
        var webhooks = 1000

        @Option(help: "Webhooks per second.")
        var rate: Double = 500

        @Option(help: "Webhooks in flight at once.")
        var webhookConcurrency = 32

        @Option(help: "Webhook URL, when not the server's /webhook/payment (e.g. another cluster node).")
        var webhookUrl: String?

        func run() async throws {
            let scenario = NotifyScenario(
                settings: try self.common.settings(),
                connections: self.connections,
                webhooks: self.webhooks,
                rate: self.rate,
                webhookConcurrency: self.webhookConcurrency,
                webhookURL: self.webhookUrl
            )
            BenchCommand.print(try await scenario.run())
        }
    }

    struct Fanout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "M connections on the same bookings; one webhook per round.")

        @OptionGroup var common: Common

        @Option(name: [.short, .long], help: "Room members.")
        var members = 1000

        @Option(help: "Rounds (each a booking every member watches, paid by one webhook).")
        var rounds = 5

        @Option(help: "Webhook URL, when not the server's /webhook/payment.")
        var webhookUrl: String?

        func run() async throws {
            let scenario = FanoutScenario(settings: try self.common.settings(), members: self.members, rounds: self.rounds, webhookURL: self.webhookUrl)
            BenchCommand.print(try await scenario.run())
        }
    }

    static func print(_ report: BenchReport) {
        Swift.print(report.jsonLine)
        Swift.print(report.table)
    }
}
