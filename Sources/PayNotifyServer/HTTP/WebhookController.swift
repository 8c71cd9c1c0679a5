import Foundation
import Hummingbird
import Logging
import NIOCore
import Payments

/// `POST /webhook/payment`: the reference design's webhook.
///
/// Answers 200 only once the payment is durable in the ledger; 503 when it could not be stored
/// (so the provider retries); 400 with a reason for anything that is not a valid payment, in
/// which case nothing is recorded.
struct WebhookController<Context: RequestContext>: Sendable {
    let processor: PaymentProcessor
    let parser = GenericWebhookParser()
    let maximumBodyBytes: Int
    let logger: Logger

    func addRoutes(to router: Router<Context>) {
        router.post("/webhook/payment") { request, _ in
            await self.receive(request)
        }
    }

    func receive(_ request: Request) async -> Response {
        let started = ContinuousClock.now
        var logger = self.logger
        logger[metadataKey: "route"] = "/webhook/payment"
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: self.maximumBodyBytes)
        } catch {
            logger.info("Webhook refused", metadata: ["outcome": "invalid", "error": "body over \(self.maximumBodyBytes) bytes"])
            return WebhookAnswer.refused("body larger than \(self.maximumBodyBytes) bytes").response(status: .badRequest)
        }
        let event: PaymentEvent
        do {
            event = try self.parser.parse(Data(body.readableBytesView))
        } catch {
            logger.info("Webhook refused", metadata: ["outcome": "invalid", "error": .string(error.message)])
            return WebhookAnswer.refused(error.message).response(status: .badRequest)
        }
        logger[metadataKey: "booking"] = .string(event.bookingID)
        logger[metadataKey: "transaction"] = .string(event.transactionID)
        do {
            let outcome = try await self.processor.process(event)
            let latency = ContinuousClock.now - started
            switch outcome {
            case .recorded(let record):
                logger.info("Webhook recorded", metadata: ["outcome": "new", "status": .string(event.status.rawValue), "role": .string(record.role.rawValue), "latency": "\(latency)"])
                return WebhookAnswer.accepted.response(status: .ok)
            case .duplicate:
                logger.info("Webhook recorded", metadata: ["outcome": "duplicate", "latency": "\(latency)"])
                return WebhookAnswer.duplicate.response(status: .ok)
            }
        } catch {
            logger.error("Webhook not stored", metadata: ["outcome": "failed", "error": "\(error)"])
            return WebhookAnswer.refused("payment could not be stored; retry later").response(status: .serviceUnavailable)
        }
    }
}

/// The webhook's JSON answer: `{"success":true}`, `{"success":true,"duplicate":true}` or
/// `{"success":false,"error":"…"}`.
struct WebhookAnswer: Encodable {
    let success: Bool
    var duplicate: Bool?
    var error: String?

    static let accepted = WebhookAnswer(success: true)
    static let duplicate = WebhookAnswer(success: true, duplicate: true)

    static func refused(_ reason: String) -> WebhookAnswer {
        WebhookAnswer(success: false, error: reason)
    }

    func response(status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(self)) ?? Data(#"{"success":false}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
