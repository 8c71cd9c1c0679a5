import NIOCore
import NIOHTTP1

/// One `WebhookSender.send`, on the sender's event loop: webhook i falls due at `i / rate`
/// seconds after the start and goes out, in order, on the next free connection.
final class WebhookSchedule {
    private let bookings: [String]
    private let interval: Double
    private let request: HTTPRequestHead
    private let recorder: BenchRecorder
    private let connections: [WebhookConnection]
    private let eventLoop: any EventLoop
    private let done: EventLoopPromise<WebhookSender.Outcome>
    private let started = NIODeadline.now()
    /// Webhooks whose time has come.
    private var due = 0
    /// Webhooks written; those from here to `due` wait for a connection.
    private var posted = 0
    private var idle: [WebhookConnection]
    private var outcome = WebhookSender.Outcome()
    private var finished = false
    private var limit: Scheduled<Void>?

    init(bookings: [String], rate: Double, request: HTTPRequestHead, recorder: BenchRecorder, connections: [WebhookConnection], eventLoop: any EventLoop) {
        self.bookings = bookings
        self.interval = 1e9 / rate
        self.request = request
        self.recorder = recorder
        self.connections = connections
        self.eventLoop = eventLoop
        self.done = eventLoop.makePromise()
        self.idle = connections.filter(\.isOpen)
    }

    func start() -> EventLoopFuture<WebhookSender.Outcome> {
        if self.bookings.isEmpty {
            self.finish(unanswered: "")
        } else {
            self.limit = self.eventLoop.assumeIsolated().scheduleTask(deadline: self.deadline(of: self.bookings.count) + .seconds(30)) {
                self.finish(unanswered: "no answer within 30 s")
            }
            self.advance()
        }
        return self.done.futureResult
    }

    private func deadline(of index: Int) -> NIODeadline {
        self.started + .nanoseconds(Int64(Double(index) * self.interval))
    }

    /// Marks what has fallen due, posts what a connection is free for, and waits for the next,
    /// at least a tick later: at thousands per second a wake-up per webhook would cost the bench
    /// more than the webhooks (each is recorded when written, so latencies are unaffected).
    private func advance() {
        let now = NIODeadline.now()
        while self.due < self.bookings.count, self.deadline(of: self.due) <= now { self.due += 1 }
        self.dispatch()
        if self.due < self.bookings.count {
            let next = max(self.deadline(of: self.due), now + Self.tick)
            self.eventLoop.assumeIsolated().scheduleTask(deadline: next) { self.advance() }
        }
    }

    private static let tick = TimeAmount.milliseconds(1)

    private func dispatch() {
        while !self.finished, self.posted < self.due, let connection = self.idle.popLast() {
            let booking = self.bookings[self.posted]
            self.posted += 1
            let body = ByteBuffer(string: #"{"bookingId":"\#(booking)","transactionId":"txn-\#(booking)","amount":500000,"status":"success"}"#)
            self.recorder.webhookSent(for: booking, at: .now())
            connection.post(self.request, body: body) { status in self.answered(status, on: connection) }
        }
        if !self.finished, self.idle.isEmpty, !self.connections.contains(where: \.isOpen) {
            self.finish(unanswered: "connection closed")
        }
    }

    private func answered(_ status: HTTPResponseStatus?, on connection: WebhookConnection) {
        guard !self.finished else { return }
        self.outcome.sent += 1
        switch status {
        case .ok?: self.outcome.accepted += 1
        case let status?: self.outcome.refused["HTTP \(status.code)", default: 0] += 1
        case nil: self.outcome.refused["connection closed", default: 0] += 1
        }
        if connection.isOpen { self.idle.append(connection) }
        if self.outcome.sent == self.bookings.count {
            self.finish(unanswered: "")
        } else {
            self.dispatch()
        }
    }

    /// Completes the send; webhooks not answered yet count as refused for `reason`.
    private func finish(unanswered reason: String) {
        guard !self.finished else { return }
        self.finished = true
        self.limit?.cancel()
        let unanswered = self.bookings.count - self.outcome.sent
        if unanswered > 0 {
            self.outcome.refused[reason, default: 0] += unanswered
            self.outcome.sent = self.bookings.count
        }
        self.outcome.elapsed = .nanoseconds((NIODeadline.now() - self.started).nanoseconds)
        self.done.succeed(self.outcome)
    }
}
