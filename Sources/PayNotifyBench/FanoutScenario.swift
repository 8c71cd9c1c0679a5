import NIOCore

/// `fanout`: M connections all watch the same bookings; one webhook per round, and the time
/// from the webhook to the last member's delivery, with what each delivery cost the server and
/// the bench (which must not be the bottleneck: read the members with `.epoll`, on threads).
public struct FanoutScenario: Sendable {
    /// How the bench reads the room's members.
    public enum Reader: String, CaseIterable, Sendable {
        /// The bench's SwiftNIO client, as in every other scenario (connect figures included).
        case nio
        /// `EpollRoom`: a C reader on epoll, several times cheaper per frame. Its subscriptions
        /// carry no ack ids, for either server; figures are read once the server is quiet.
        case epoll
    }

    let settings: BenchSettings
    let members: Int
    let rounds: Int
    let webhookURL: String?
    let reader: Reader

    public init(settings: BenchSettings, members: Int, rounds: Int, webhookURL: String?, reader: Reader = .nio) {
        self.settings = settings
        self.members = members
        self.rounds = rounds
        self.webhookURL = webhookURL
        self.reader = reader
    }

    public func run() async throws -> BenchReport {
        let run = BenchRun(settings: self.settings)
        var report = BenchReport(scenario: "fanout")
        let runID = run.runID
        let bookings = (0..<self.rounds).map { "fanout-\(runID)-\($0)" }
        var channels: [any Channel] = []
        var epoll: EpollRoom?
        let room: any RoomMembers
        switch self.reader {
        case .nio:
            channels = try await run.openConnections(0..<self.members, into: &report) { _ in bookings }.channels
            room = ChannelRoom(recorder: run.recorder, count: channels.count)
        case .epoll:
            let opened = try await EpollRoom(target: self.settings.target, members: self.members, bookings: bookings, threads: self.settings.threads)
            _ = try await run.quietServerStats()
            report.add("connections", .count(opened.count))
            report.add("failures", .count(opened.failures))
            (epoll, room) = (opened, opened)
        }
        report.add("reader", .text(self.reader.rawValue))
        let sender = try await run.makeWebhookSender(url: self.webhookURL, connections: 1)
        var lastDeliveries: [Duration] = []
        var cost = LoadMeasurement(result: (), server: .zero, benchCPU: .zero)
        let framesBefore = room.frames
        for (round, booking) in bookings.enumerated() {
            let load = try await run.measureLoad {
                let outcome = try await sender.send(to: [booking], rate: 1)
                let expected = (round + 1) * room.count * outcome.accepted
                try await BenchRun.wait(within: .seconds(10)) { room.tally.delivered >= expected }
            }
            cost.server = load.server.flatMap { spent in cost.server.map { $0 + spent } }
            cost.benchCPU += load.benchCPU
            if let sent = run.recorder.sentTime(of: booking), let last = room.lastDelivery(of: booking) {
                lastDeliveries.append(.nanoseconds((last - sent).nanoseconds))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        sender.close()
        let tally = room.tally
        let frames = room.frames - framesBefore
        epoll?.close()
        report.add("rounds", .count(self.rounds))
        tally.report(expected: self.rounds * room.count, into: &report)
        report.add("last_delivery_ms", .latency(LatencySummary(lastDeliveries)))
        cost.report(per: tally.delivered, "delivery", inMicroseconds: true, into: &report)
        report.add("bench_frames", .count(frames))
        if frames > 0 { report.add("bench_cpu_us_per_frame", .number(cost.benchCPU.milliseconds * 1000 / Double(frames))) }
        try await run.finish(channels, into: &report)
        return report
    }
}
