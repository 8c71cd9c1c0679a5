import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Payments
import SQLiteLedger
import Testing

@testable import PayNotifyServer

/// The webhook pipeline (verify, replay memory, process, answer) on a Hummingbird request made
/// in the test: no HTTP server, a real SQLite ledger, a recording announcer.
@Suite("Webhook controller, driven without HTTP")
struct WebhookControllerTests {
    private static let secret = "whsec_" + Data("paynotify-webhook-test-secret".utf8).base64EncodedString()
    private static let body = #"{"bookingId":"b20","transactionId":"t20","amount":500000,"status":"success"}"#

    @Test("A signed delivery is processed once: its replay is a duplicate, not announced again")
    func replayIsDuplicate() async throws {
        try await withSQLiteLedger { ledger in
            let announcer = RecordingAnnouncer()
            let metrics = PayNotifyMetrics()
            let (controller, webhook) = try Self.controller(ledger, announcer, metrics)
            let first = await controller.receive(try Self.delivery(id: "msg_20"), from: webhook, route: "/webhook/payment", logger: quietLogger)
            let replay = await controller.receive(try Self.delivery(id: "msg_20"), from: webhook, route: "/webhook/payment", logger: quietLogger)
            #expect(first.status == .ok)
            #expect(replay.status == .ok)
            #expect(metrics.webhookOutcomesOfLastHour().last?.counts == [.new: 1, .duplicate: 1])
            #expect(await announcer.confirmations.map(\.event.transactionID) == ["t20"])
            #expect(try await ledger.hasProcessedWebhookMessage("msg_20"))
        }
    }

    @Test("A delivery not announced everywhere is answered 503 and its id not remembered, so the retry announces")
    func unannouncedDeliveryRetried() async throws {
        try await withSQLiteLedger { ledger in
            let announcer = RecordingAnnouncer()
            let (controller, webhook) = try Self.controller(ledger, announcer, PayNotifyMetrics())
            await announcer.missOtherNodes(true)
            let failed = await controller.receive(try Self.delivery(id: "msg_21"), from: webhook, route: "/webhook/payment", logger: quietLogger)
            #expect(failed.status == .serviceUnavailable)
            #expect(try await !ledger.hasProcessedWebhookMessage("msg_21"))

            await announcer.missOtherNodes(false)
            let retried = await controller.receive(try Self.delivery(id: "msg_21"), from: webhook, route: "/webhook/payment", logger: quietLogger)
            #expect(retried.status == .ok)
            #expect(await announcer.confirmations.count == 2)
            #expect(try await ledger.hasProcessedWebhookMessage("msg_21"))
        }
    }

    @Test("A delivery with a wrong signature is refused and records nothing")
    func wrongSignatureRefused() async throws {
        try await withSQLiteLedger { ledger in
            let announcer = RecordingAnnouncer()
            let (controller, webhook) = try Self.controller(ledger, announcer, PayNotifyMetrics())
            let forged = try Self.delivery(id: "msg_22", signature: "v1,AAAA")
            let refused = await controller.receive(forged, from: webhook, route: "/webhook/payment", logger: quietLogger)
            #expect(refused.status == .unauthorized)
            #expect(try await ledger.status(ofBooking: "b20").payments.isEmpty)
            #expect(await announcer.confirmations.isEmpty)
        }
    }

    private static func controller(
        _ ledger: SQLiteLedger, _ announcer: RecordingAnnouncer, _ metrics: PayNotifyMetrics
    ) throws -> (WebhookController<PayNotifyRequestContext>, GenericWebhook) {
        let controller = WebhookController<PayNotifyRequestContext>(
            processor: PaymentProcessor(testing: ledger, announcer: announcer),
            replayMemory: ledger,
            replayWindow: .seconds(300),
            maximumBodyBytes: 65_536,
            metrics: metrics
        )
        return (controller, GenericWebhook(access: .authenticated(try StandardWebhooksAuthenticator(secrets: [Self.secret]))))
    }

    /// `POST /webhook/payment` with the body signed as message `id`, the Standard Webhooks way;
    /// `signature` replaces the signature when given.
    private static func delivery(id: String, signature: String? = nil) throws -> Request {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in try StandardWebhooksSigner(secrets: [Self.secret]).headers(for: Data(Self.body.utf8), id: id, timestamp: Date()) {
            fields[HTTPField.Name(name)!] = value
        }
        if let signature { fields[HTTPField.Name("webhook-signature")!] = signature }
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/webhook/payment", headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: Self.body)))
    }
}
