import NIOCore
import NIOHTTP1
import NIOPosix

/// Posts the reference design's payment webhook at a steady rate over a few keep-alive
/// HTTP/1.1 connections, on one event loop and without tasks, and records when each was sent.
///
/// Not AsyncHTTPClient: it cost the bench about 0.3 ms of CPU per webhook, about what a server
/// spends handling one, so at thousands per second the generator would have been measured.
struct WebhookSender: Sendable {
    struct Outcome: Sendable {
        var sent = 0
        var accepted = 0
        var refused: [String: Int] = [:]
        var elapsed: Duration = .zero

        /// Adds what was sent, accepted and refused, and the rate achieved, each name prefixed
        /// with `prefix`.
        func report(prefix: String = "", into report: inout BenchReport) {
            report.add(prefix + "webhooks_sent", .count(self.sent))
            report.add(prefix + "webhooks_accepted", .count(self.accepted))
            for (reason, times) in self.refused.sorted(by: { $0.value > $1.value }).prefix(3) {
                report.add(prefix + "webhook_refused", .text("\(times)× \(reason)"))
            }
            report.add(prefix + "webhooks_per_second", .number(self.rate))
        }

        /// Webhooks answered per second, from the first sent to the last answered.
        var rate: Double { Double(self.sent) / max(self.elapsed.seconds, 0.001) }
    }

    /// Where webhooks go: `target`'s path, or `/webhook/payment` when it has none.
    let target: BenchTarget
    let eventLoop: any EventLoop
    let recorder: BenchRecorder
    /// One per webhook in flight.
    let channels: [any Channel]

    /// Opens `connections` keep-alive connections to `target` on `eventLoop`.
    static func connect(to target: BenchTarget, connections: Int, on eventLoop: any EventLoop, recorder: BenchRecorder) async throws -> WebhookSender {
        var channels: [any Channel] = []
        for _ in 0..<max(1, connections) {
            let channel = try await ClientBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(WebhookConnection())
                    }
                }
                .connect(to: target.address)
                .get()
            channels.append(channel)
        }
        return WebhookSender(target: target, eventLoop: eventLoop, recorder: recorder, channels: channels)
    }

    /// Sends one `success` webhook per booking, the i-th at `i / rate` seconds after the start
    /// (or as soon as a connection is free, when the server falls behind). Bounded: what is
    /// unanswered 30 s after the last is due counts as refused.
    func send(to bookings: [String], rate: Double) async throws -> Outcome {
        let (target, recorder, channels) = (self.target, self.recorder, self.channels)
        let eventLoop = self.eventLoop
        return try await eventLoop.flatSubmit {
            let connections: [WebhookConnection]
            do {
                connections = try channels.map { try $0.pipeline.syncOperations.handler(type: WebhookConnection.self) }
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
            return WebhookSchedule(
                bookings: bookings,
                rate: rate,
                request: Self.requestHead(for: target),
                recorder: recorder,
                connections: connections,
                eventLoop: eventLoop
            ).start()
        }.get()
    }

    func close() {
        for channel in self.channels { channel.close(promise: nil) }
    }

    private static func requestHead(for target: BenchTarget) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target.path.isEmpty ? "/webhook/payment" : target.path)
        head.headers.add(name: "Host", value: target.hostHeader)
        head.headers.add(name: "Content-Type", value: "application/json")
        return head
    }
}
