import Logging
import Payments
import ServiceLifecycle
import SocketIO

/// The operator feed as the dashboard receives it: each happening becomes one event of the
/// dashboard namespace (`payment`, `unmatched`, `callback`), broadcast through its adapter, so
/// operators connected to any node of a cluster see every node's.
///
/// The calls only queue; this service sends, in order. The queue is bounded: in a burst faster
/// than the broadcasts, the oldest unsent are dropped (the panels read over HTTP stay complete).
final class AdminFeed: OperatorFeed, Service {
    static let queueLimit = 1024

    private let namespace: SocketIONamespace
    private let node: NodeIdentity
    /// Whether payments write callback events, which the feed then names.
    private let callbacksEnabled: Bool
    private let logger: Logger
    private let messages: AsyncStream<(event: String, payload: SocketIOValue)>
    private let queue: AsyncStream<(event: String, payload: SocketIOValue)>.Continuation

    init(namespace: SocketIONamespace, node: NodeIdentity, callbacksEnabled: Bool, logger: Logger) {
        self.namespace = namespace
        self.node = node
        self.callbacksEnabled = callbacksEnabled
        self.logger = logger
        (self.messages, self.queue) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(Self.queueLimit))
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await message in self.messages {
                await self.namespace.emit(message.event, message.payload)
            }
        }
    }

    func paymentRecorded(_ payment: RecordedPayment) {
        let record = payment.outcome.record
        let event = self.callbacksEnabled ? CallbackEvent.reporting(record, registration: payment.registration) : nil
        self.send("payment", PaymentMessage(payment: PaymentAnswer(record), event: Nullable(event.map(EventReference.init)), node: self.node.id))
    }

    func unmatchedRecorded(_ transaction: UnmatchedTransaction) {
        let event = self.callbacksEnabled ? CallbackEvent.reporting(transaction) : nil
        self.send(
            "unmatched",
            UnmatchedMessage(transaction: UnmatchedAnswer.Transaction(transaction), event: Nullable(event.map(EventReference.init)), node: self.node.id)
        )
    }

    func callbackAttempted(_ claimed: OutboxEntry, attempt: CallbackAttempt, outcome: CallbackOutcome) {
        let settled = OutboxEntry(
            event: claimed.event, sequence: claimed.sequence, state: outcome.state, attempts: claimed.attempts,
            scheduledAttempts: claimed.scheduledAttempts + 1, refusals: claimed.refusals + (outcome.isRefusal ? 1 : 0), nextAttemptAt: outcome.nextAttemptAt
        )
        self.send("callback", CallbackMessage(event: EventAnswer(settled), attempt: Nullable(AttemptAnswer(attempt)), node: self.node.id))
    }

    func callbackRedelivered(_ entry: OutboxEntry) {
        self.send("callback", CallbackMessage(event: EventAnswer(entry), attempt: Nullable(nil), node: self.node.id))
    }

    private func send(_ event: String, _ message: some Encodable) {
        do {
            self.queue.yield((event, try SocketIOValue(encoding: message)))
        } catch {
            self.logger.error("Dashboard feed message not encoded", metadata: ["event": .string(event), "error": "\(error)"])
        }
    }
}

/// The callback event a payment or transfer wrote, as the feed names it.
private struct EventReference: Encodable {
    let id: String
    let type: String

    init(_ event: CallbackEvent) {
        self.id = event.id
        self.type = event.kind.rawValue
    }
}

private struct PaymentMessage: Encodable {
    let payment: PaymentAnswer
    let event: Nullable<EventReference>
    let node: String
}

private struct UnmatchedMessage: Encodable {
    let transaction: UnmatchedAnswer.Transaction
    let event: Nullable<EventReference>
    let node: String
}

private struct CallbackMessage: Encodable {
    let event: EventAnswer
    let attempt: Nullable<AttemptAnswer>
    let node: String
}
