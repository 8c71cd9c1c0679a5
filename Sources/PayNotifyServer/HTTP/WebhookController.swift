import Foundation
import Hummingbird
import Logging
import NIOCore
import Payments

/// `POST /webhook/payment`: the reference design's webhook.
///
/// Answers 200 only once the payment is durable in the ledger; 503 when it could not be stored
/// (so the provider retries); 401 when its credentials are missing or wrong; 400 with a reason
/// for anything that is not a valid payment. Nothing refused is recorded. A delivery whose
/// message id was already processed is answered as a duplicate without being processed again.
struct WebhookController<Context: RequestContext>: Sendable {
    let processor: PaymentProcessor
    let parser = GenericWebhookParser()
    /// Nil in development mode without a secret: webhooks are then open.
    let authenticator: (any WebhookAuthenticator)?
    /// How long a processed message id is remembered: beyond it, its timestamp is refused.
    let replayWindow: Duration
    let maximumBodyBytes: Int
    let metrics: PayNotifyMetrics

    /// Adds `POST payment` to the `/webhook` group.
    func addRoutes(to webhooks: RouterGroup<Context>) {
        webhooks.post("payment") { request, context in
            await self.receive(request, route: "/webhook/payment", logger: context.logger)
        }
    }

    /// Handles one webhook and counts its outcome and handling time under its route: the one
    /// place every webhook route's metrics come from.
    func receive(_ request: Request, route: String, logger: Logger) async -> Response {
        let started = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "route"] = .string(route)
        let (outcome, response) = await self.handle(request, started: started, logger: logger)
        self.metrics.webhookHandled(route: route, outcome: outcome, duration: .now - started)
        return response
    }

    private func handle(_ request: Request, started: ContinuousClock.Instant, logger: Logger) async -> (WebhookOutcome, Response) {
        var logger = logger
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: self.maximumBodyBytes)
        } catch is NIOTooManyBytesError {
            logger.info("Webhook refused", metadata: ["outcome": .outcome(.invalid), "error": "body over \(self.maximumBodyBytes) bytes"])
            return (.invalid, WebhookAnswer.refused("body larger than \(self.maximumBodyBytes) bytes").response(status: .badRequest))
        } catch {
            // The client went away, or a drain's deadline cut the request short.
            logger.info("Webhook refused", metadata: ["outcome": .outcome(.invalid), "error": "body not received: \(error)"])
            return (.invalid, WebhookAnswer.refused("body not received").response(status: .badRequest))
        }
        let bodyData = Data(body.readableBytesView)
        var messageID: String?
        if let authenticator = self.authenticator {
            do {
                messageID = try authenticator.authenticate(WebhookRequest(headers: Self.headers(of: request), body: bodyData)).messageID
            } catch {
                logger.warning("Webhook refused", metadata: ["outcome": .outcome(.unauthorized), "error": .string(error.description)])
                return (.unauthorized, WebhookAnswer.refused("unauthorized: \(error.description)").response(status: .unauthorized))
            }
        }
        if let messageID {
            logger[metadataKey: "message"] = .string(messageID)
            do {
                if try await self.processor.ledger.hasProcessedWebhookMessage(messageID) {
                    logger.info("Webhook recorded", metadata: ["outcome": .outcome(.duplicate), "reason": "message already processed"])
                    return (.duplicate, WebhookAnswer.duplicate.response(status: .ok))
                }
            } catch {
                logger.error("Webhook not stored", metadata: ["outcome": .outcome(.failed), "error": "\(error)"])
                return (.failed, WebhookAnswer.refused("payment could not be stored; retry later").response(status: .serviceUnavailable))
            }
        }
        let event: PaymentEvent
        do {
            event = try self.parser.parse(bodyData)
        } catch {
            logger.info("Webhook refused", metadata: ["outcome": .outcome(.invalid), "error": .string(error.message)])
            return (.invalid, WebhookAnswer.refused(error.message).response(status: .badRequest))
        }
        logger[metadataKey: "booking"] = .string(event.bookingID)
        logger[metadataKey: "transaction"] = .string(event.transactionID)
        do throws(PaymentProcessingError) {
            let outcome = try await self.processor.process(event, webhookArrivedAt: started)
            if let messageID {
                await self.remember(messageID, logger: logger)
            }
            let latency = ContinuousClock.now - started
            switch outcome {
            case .recorded(let record):
                logger.info("Webhook recorded", metadata: ["outcome": .outcome(.new), "status": .string(event.status.rawValue), "role": .string(record.role.rawValue), "latency": "\(latency)"])
                return (.new, WebhookAnswer.accepted.response(status: .ok))
            case .duplicate:
                logger.info("Webhook recorded", metadata: ["outcome": .outcome(.duplicate), "latency": "\(latency)"])
                return (.duplicate, WebhookAnswer.duplicate.response(status: .ok))
            }
        } catch {
            switch error {
            case .notStored(let cause):
                logger.error("Webhook not stored", metadata: ["outcome": .outcome(.failed), "error": "\(cause)"])
                return (.failed, WebhookAnswer.refused("payment could not be stored; retry later").response(status: .serviceUnavailable))
            case .notAnnounced:
                logger.error("Webhook stored but not announced to every node", metadata: ["outcome": .outcome(.failed)])
                return (.failed, WebhookAnswer.refused("payment stored but not announced; retry later").response(status: .serviceUnavailable))
            }
        }
    }
}

extension WebhookController {
    /// A message id is remembered only after its payment is durable: had the payment failed, the
    /// provider's retry (same id) must be processed, not taken for a replay. Failing to remember
    /// is only logged: a replay of it then meets the ledger's idempotency on the transaction.
    private func remember(_ messageID: String, logger: Logger) async {
        do {
            try await self.processor.ledger.rememberWebhookMessage(messageID, until: Date().addingTimeInterval(self.replayWindow / .seconds(1) * 2))
        } catch {
            logger.error("Processed webhook message id not remembered", metadata: ["error": "\(error)"])
        }
    }

    static func headers(of request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        return headers
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
