import ArgumentParser
import PayNotifyBench

extension FanoutScenario.Reader: ExpressibleByArgument {}
extension BenchTransportPath: ExpressibleByArgument {}
extension BenchRequestHeaders: ExpressibleByArgument {}

/// `paynotify bench connect|notify|ramp|fanout|compare`: load scenarios against a running server.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a running server: connections, webhook→event latency, room fan-out.",
        discussion: """
            Start the server (release build) with limits raised for one source address, e.g.
            MAX_CONNECTIONS_PER_IP=100000 WEBHOOK_RATE_LIMIT=100000 WEBHOOK_RATE_BURST=100000, and raise
            the file-descriptor limit of both shells (ulimit -n 20000). Each scenario prints one JSON
            line and a table. Against the Node reference server, pass --no-subscribe-ack.
            """,
        subcommands: [Connect.self, Notify.self, Ramp.self, Fanout.self, Compare.self]
    )

    /// How the bench's own client behaves, whatever the server.
    struct Client: ParsableArguments {
        @Option(help: "Connection attempts in flight at once.")
        var concurrency = 200

        @Option(help: "Connections per local address (127.0.0.1, .2, …) before using the next.")
        var connectionsPerAddress = 20_000

        @Option(help: "Event-loop threads of the bench.")
        var threads = 1

        @Option(help: "How each connection reaches its websocket: websocket (at once) or default (long-polling, then the upgrade, as browsers do).")
        var transports = BenchTransportPath.websocket

        @Option(help: "The headers of each connection's requests: minimal (NIO's client alone, about 200 bytes per upgrade) or browser (those a desktop Chrome adds, about 370 bytes more).")
        var requestHeaders = BenchRequestHeaders.minimal

        func settings(url: String, serverPID: Int32?, subscriptionsAcknowledged: Bool, hold: Double = 0) throws -> BenchSettings {
            BenchSettings(
                target: try BenchTarget(url: url),
                serverPID: serverPID,
                concurrency: self.concurrency,
                connectionsPerAddress: self.connectionsPerAddress,
                threads: self.threads,
                hold: .milliseconds(Int64(hold * 1000)),
                subscriptionsAcknowledged: subscriptionsAcknowledged,
                transportPath: self.transports,
                requestHeaders: self.requestHeaders
            )
        }
    }

    struct Common: ParsableArguments {
        @Option(help: "The server's base URL.")
        var url = "http://127.0.0.1:3000"

        @Option(help: "The server's PID, to report its memory and CPU time per connection.")
        var serverPid: Int32?

        @OptionGroup var client: Client

        @Option(help: "Seconds to hold the connections open (answering heartbeats) before closing.")
        var hold: Double = 0

        @Flag(
            inversion: .prefixedNo,
            help: """
                Whether the server acknowledges subscribe_booking (PayNotify does). With --no-subscribe-ack \
                (the Node reference) a connection counts as subscribed once its subscriptions are written, \
                and the server is read once its CPU time has stopped rising.
                """
        )
        var subscribeAck = true

        func settings() throws -> BenchSettings {
            try self.client.settings(url: self.url, serverPID: self.serverPid, subscriptionsAcknowledged: self.subscribeAck, hold: self.hold)
        }
    }

    /// Where and how webhooks are posted.
    struct Posting: ParsableArguments {
        @Option(help: "Webhooks in flight at once (one keep-alive connection each).")
        var webhookConcurrency = 32

        @Option(help: "Webhook URL, when not the server's /webhook/payment (e.g. another cluster node).")
        var webhookUrl: String?
    }

    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open N subscribed connections, then hold them.")

        @OptionGroup var common: Common

        @Option(
            name: [.customShort("n"), .long],
            help: "Connections to open; repeat (-n 10000 -n 19000) to read the server at each count, figure names then ending in _<count>."
        )
        var connections: [Int] = []

        func run() async throws {
            let steps = self.connections.isEmpty ? [1000] : self.connections
            BenchCommand.print(try await ConnectScenario(settings: try self.common.settings(), steps: steps).run())
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

        @OptionGroup var posting: Posting

        func run() async throws {
            let scenario = NotifyScenario(
                settings: try self.common.settings(),
                connections: self.connections,
                webhooks: self.webhooks,
                rate: self.rate,
                webhookConcurrency: self.posting.webhookConcurrency,
                webhookURL: self.posting.webhookUrl
            )
            BenchCommand.print(try await scenario.run())
        }
    }

    struct Ramp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "With N subscribed connections, post webhooks at rising rates until p99, a lost delivery or the rate itself misses."
        )

        @OptionGroup var common: Common

        @Option(name: [.customShort("n"), .long], help: "Subscribed connections to hold.")
        var connections = 10_000

        @Option(help: "Webhooks per second of each step, comma-separated (at most 20 steps).")
        var rates = BenchCommand.list(RampScenario.defaultRates)

        @Option(help: "Webhooks per step (at most --connections).")
        var webhooks = 5000

        @Option(help: "Highest webhook → event p99 a step may have, in milliseconds.")
        var p99Limit: Double = 20

        @OptionGroup var posting: Posting

        func run() async throws {
            let scenario = RampScenario(
                settings: try self.common.settings(),
                connections: self.connections,
                rates: try BenchCommand.rampRates(self.rates, option: "rates"),
                webhooksPerStep: self.webhooks,
                p99Limit: .microseconds(Int64(self.p99Limit * 1000)),
                webhookConcurrency: self.posting.webhookConcurrency,
                webhookURL: self.posting.webhookUrl
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

        @Option(help: "How members are read: nio (the bench's client) or epoll (a C reader, cheaper per frame; --threads threads).")
        var reader: FanoutScenario.Reader = .nio

        func run() async throws {
            let scenario = FanoutScenario(
                settings: try self.common.settings(),
                members: self.members,
                rounds: self.rounds,
                webhookURL: self.webhookUrl,
                reader: self.reader
            )
            BenchCommand.print(try await scenario.run())
        }
    }

    static func print(_ report: BenchReport) {
        Swift.print(report.jsonLine)
        Swift.print(report.table)
    }

    /// `--<option>`'s comma-separated positive numbers (`1000,2000,…`), at most `limit` of them.
    static func numbers(_ list: String, option: String, limit: Int = .max) throws -> [Double] {
        let numbers = list.split(separator: ",").compactMap { Double($0.filter { $0 != " " }) }
        guard !numbers.isEmpty, numbers.count <= limit, numbers.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--\(option): up to \(limit) positive numbers, comma-separated")
        }
        return numbers
    }

    /// Ramp rates: at most 20, since each ramp connection watches a booking per step and
    /// PayNotify lets a socket watch 20.
    static func rampRates(_ list: String, option: String) throws -> [Double] {
        try Self.numbers(list, option: option, limit: 20)
    }

    /// A list option's default, as written on the command line.
    static func list(_ numbers: [some BinaryInteger]) -> String {
        numbers.map { "\($0)" }.joined(separator: ",")
    }
}
