import AsyncHTTPClient
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
            connector: BenchConnector(target: self.settings.target, group: self.group, recorder: self.recorder),
            concurrency: self.settings.concurrency,
            connectionsPerAddress: self.settings.connectionsPerAddress
        )
    }

    func serverStats() throws -> ProcessStats? {
        try self.settings.serverPID.map { try ProcessStats.of(pid: $0) }
    }

    /// Opens `count` connections and adds the connect figures (rate, handshake latency, the
    /// server's memory and CPU per connection) to `report`.
    /// Returns the open channels and the server's figures from before they were opened.
    func openConnections(
        _ count: Int,
        into report: inout BenchReport,
        bookings: @escaping @Sendable (Int) -> [String]
    ) async throws -> (channels: [any Channel], serverBefore: ProcessStats?) {
        let serverBefore = try self.serverStats()
        let opened = try await self.pool.open(count, bookings: bookings)
        let connected = opened.channels.count
        report.add("connections", .count(connected))
        report.add("failures", .count(opened.failures.values.reduce(0, +)))
        for (reason, times) in opened.failures.sorted(by: { $0.value > $1.value }).prefix(3) {
            report.add("failure", .text("\(times)× \(reason)"))
        }
        report.add("connect_seconds", .number(opened.elapsed.seconds))
        report.add("connects_per_second", .number(Double(connected) / max(opened.elapsed.seconds, 0.001)))
        report.add("handshake_ms", .latency(LatencySummary(opened.handshakeLatencies)))
        if let serverBefore, let serverAfter = try self.serverStats(), connected > 0 {
            report.add("server_rss_before_kib", .count(serverBefore.residentBytes / 1024))
            report.add("server_rss_after_kib", .count(serverAfter.residentBytes / 1024))
            report.add("server_bytes_per_connection", .count((serverAfter.residentBytes - serverBefore.residentBytes) / connected))
            report.add("server_cpu_ms_per_connection", .number((serverAfter.cpu - serverBefore.cpu).milliseconds / Double(connected)))
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

    /// A webhook sender over its own keep-alive HTTP client (shut it down with
    /// `sender.client.shutdown()`), posting to `url` or to the target's `/webhook/payment`.
    func makeWebhookSender(url: String?) -> WebhookSender {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return WebhookSender(
            client: HTTPClient(eventLoopGroup: self.group, configuration: configuration),
            url: url ?? "\(self.settings.target.baseURL)/webhook/payment",
            recorder: self.recorder
        )
    }

    /// Waits (bounded) until the recorder holds `count` deliveries.
    func awaitDeliveries(_ count: Int, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while self.recorder.deliveryCount < count, ContinuousClock.now < deadline {
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
