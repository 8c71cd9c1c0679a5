import NIOCore
import NIOPosix

/// The machinery one scenario runs on: the bench's event loops, its recorder, and the figures
/// it reads from the server and from itself.
struct BenchRun {
    let settings: BenchSettings
    let group: MultiThreadedEventLoopGroup
    let recorder = BenchRecorder()
    /// Distinguishes this run's bookings from earlier runs' in the server's ledger.
    let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)

    init(settings: BenchSettings) {
        self.settings = settings
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: settings.threads)
    }

    var pool: ConnectionPool {
        ConnectionPool(
            connector: BenchConnector(
                target: self.settings.target,
                group: self.group,
                recorder: self.recorder,
                subscriptionsAcknowledged: self.settings.subscriptionsAcknowledged,
                transportPath: self.settings.transportPath,
                requestHeaders: self.settings.requestHeaders
            ),
            concurrency: self.settings.concurrency,
            connectionsPerAddress: self.settings.connectionsPerAddress
        )
    }

    func serverStats() throws -> ProcessStats? {
        try self.settings.serverPID.map { try ProcessStats.of(pid: $0) }
    }

    /// The server's figures once its CPU time has stopped rising: what it was still doing for
    /// the bench (subscriptions the Node reference does not acknowledge, events after the last
    /// one the bench waits for) is then done and counted, for either server alike.
    func quietServerStats() async throws -> ProcessStats? {
        guard let pid = self.settings.serverPID else { return nil }
        return try await ProcessStats.whenQuiet(pid: pid)
    }

    /// Opens connections `indices` and adds the connect figures (connections held, the rate and
    /// handshake latency of these, the server's memory and CPU per connection), each name
    /// followed by `suffix`, to `report`.
    /// CPU is counted from the server before these connections, memory from `baseline` (the
    /// server before `connections` earlier ones were opened) when given; the server is read
    /// once quiet. Returns the open channels and the server's figures from before they opened.
    func openConnections(
        _ indices: Range<Int>,
        since baseline: (stats: ProcessStats, connections: Int)? = nil,
        suffix: String = "",
        into report: inout BenchReport,
        bookings: @escaping @Sendable (Int) -> [String]
    ) async throws -> (channels: [any Channel], serverBefore: ProcessStats?) {
        let serverBefore = try await self.quietServerStats()
        let opened = try await self.pool.open(indices, bookings: bookings)
        let connected = opened.channels.count
        let held = connected + (baseline?.connections ?? 0)
        report.add("connections" + suffix, .count(held))
        report.add("failures" + suffix, .count(opened.failures.values.reduce(0, +)))
        for (reason, times) in opened.failures.sorted(by: { $0.value > $1.value }).prefix(3) {
            report.add("failure" + suffix, .text("\(times)× \(reason)"))
        }
        report.add("connect_seconds" + suffix, .number(opened.elapsed.seconds))
        report.add("connects_per_second" + suffix, .number(Double(connected) / max(opened.elapsed.seconds, 0.001)))
        report.add("handshake_ms" + suffix, .latency(LatencySummary(opened.handshakeLatencies)))
        if let serverBefore, let serverAfter = try await self.quietServerStats(), connected > 0 {
            let memoryBefore = baseline?.stats ?? serverBefore
            report.add("server_rss_before_kib" + suffix, .count(memoryBefore.residentBytes / 1024))
            report.add("server_rss_after_kib" + suffix, .count(serverAfter.residentBytes / 1024))
            report.add("server_bytes_per_connection" + suffix, .count((serverAfter.residentBytes - memoryBefore.residentBytes) / held))
            let spent = CPUSpent(from: serverBefore, to: serverAfter)
            report.add("server_cpu_ms_per_connection" + suffix, .number(spent.total.milliseconds / Double(connected)))
            report.add("server_sys_ms_per_connection" + suffix, .number(spent.system.milliseconds / Double(connected)))
        }
        return (opened.channels, serverBefore)
    }

    /// Keeps the connections open for the configured time (they answer heartbeats meanwhile)
    /// and reports drops and the server's memory at the end.
    func hold(_ channels: [any Channel], serverBefore: ProcessStats?, into report: inout BenchReport) async throws {
        guard self.settings.hold > .zero else { return }
        try await Task.sleep(for: self.settings.hold)
        report.add("hold_seconds", .number(self.settings.hold.seconds))
        report.add("drops", .count(self.recorder.drops))
        report.add("still_open", .count(channels.filter(\.isActive).count))
        report.add("pings_answered", .count(self.recorder.pings))
        if let serverBefore, let stats = try self.serverStats(), !channels.isEmpty {
            report.add("server_rss_after_hold_kib", .count(stats.residentBytes / 1024))
            report.add("server_bytes_per_connection_after_hold", .count((stats.residentBytes - serverBefore.residentBytes) / channels.count))
        }
    }

    /// A webhook sender with `connections` keep-alive connections (close it with
    /// `sender.close()`), posting to `url` or to the target's `/webhook/payment`.
    func makeWebhookSender(url: String?, connections: Int) async throws -> WebhookSender {
        try await WebhookSender.connect(
            to: try url.map { try BenchTarget(url: $0) } ?? self.settings.target,
            connections: connections,
            on: self.group.next(),
            recorder: self.recorder
        )
    }

    /// Waits (bounded) until the recorder holds `count` deliveries.
    func awaitDeliveries(_ count: Int, within limit: Duration) async throws {
        try await Self.wait(within: limit) { self.recorder.tally.delivered >= count }
    }

    /// Waits until `done` holds, polling every 10 ms, or until `limit` has passed.
    static func wait(within limit: Duration, until done: () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !done(), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Closes the connections and adds the bench's own CPU time, so a reader can tell whether
    /// the bench was the bottleneck.
    func finish(_ channels: [any Channel], into report: inout BenchReport) async throws {
        self.recorder.beginStopping()
        for channel in channels { channel.close(promise: nil) }
        report.add("bench_cpu_seconds", .number(try ProcessStats.current().cpu.seconds))
        try await self.group.shutdownGracefully()
    }
}

extension Duration {
    var seconds: Double { self.milliseconds / 1000 }
}
