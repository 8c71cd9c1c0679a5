import Foundation
import Hummingbird
import Logging
import NIOCore
import Payments

/// Every webhook route (`/webhook/payment`, `/webhook/pay2s`, `/webhook/sepay`,
/// `/webhook/casso`): one `PaymentWebhook` value each, the same pipeline for all.
///
/// Answers 200 only once every transaction of the delivery is durable in the ledger (a payment,
/// or an unmatched transfer kept for operators); 503 when one could not be stored (the provider
/// retries, and what was stored is a duplicate then); 401 when the credentials are missing or
/// wrong, or the route has none configured; 400 with a reason for a body that is not what the
/// provider sends. Nothing refused is recorded. A delivery whose message id was already
/// processed is answered as a duplicate without being processed again.
struct WebhookController<Context: RequestContext>: Sendable {
    let processor: PaymentProcessor
    /// The message ids already processed, for schemes whose deliveries carry one.
    let replayMemory: any WebhookReplayMemory
    /// How long a processed message id is remembered: beyond it, its timestamp is refused.
    let replayWindow: Duration
    let maximumBodyBytes: Int
    let metrics: PayNotifyMetrics

    /// Adds `POST <route>` for `webhook` to the `/webhook` group.
    func addRoute(_ route: String, for webhook: any PaymentWebhook, to webhooks: RouterGroup<Context>) {
        let path = "/webhook/\(route)"
        webhooks.post(RouterPath(route)) { request, context in
            await self.receive(request, from: webhook, route: path, logger: context.logger)
        }
    }

    /// Handles one delivery, logs and counts its outcome and handling time under its route: the
    /// one place every webhook route's logs and metrics come from.
    func receive(_ request: Request, from webhook: any PaymentWebhook, route: String, logger: Logger) async -> Response {
        let started = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "route"] = .string(route)
        logger[metadataKey: "provider"] = .string(webhook.provider)
        let result = await self.handle(request, from: webhook, started: started, logger: &logger)
        let latency = ContinuousClock.now - started
        let outcome = result.outcome
        self.metrics.webhookHandled(route: route, outcome: outcome, duration: latency)
        return result.answer(outcome: outcome, logger: logger, latency: latency)
    }

    private func handle(_ request: Request, from webhook: any PaymentWebhook, started: ContinuousClock.Instant, logger: inout Logger) async -> WebhookResult {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: self.maximumBodyBytes)
        } catch is NIOTooManyBytesError {
            return .invalid("body larger than \(self.maximumBodyBytes) bytes")
        } catch {
            // The client went away, or a drain's deadline cut the request short.
            return .invalid("body not received: \(error)")
        }
        let webhookRequest = CredentialedRequest(request, body: Data(body.readableBytesView))
        let messageID: String?
        do {
            messageID = try webhook.authenticate(webhookRequest).messageID
        } catch {
            return .unauthorized(error.description)
        }
        if let messageID {
            logger[metadataKey: "message"] = .string(messageID)
            do {
                if try await self.replayMemory.hasProcessedWebhookMessage(messageID) {
                    return .duplicate(reason: "message already processed")
                }
            } catch {
                return .failed(.notStored(error))
            }
        }
        let transactions: [ReportedTransaction]
        do {
            transactions = try webhook.transactions(in: webhookRequest.body, receivedAt: webhookRequest.receivedAt)
        } catch {
            return .invalid(error.message)
        }
        if transactions.count == 1, case .booking(let bookingID) = transactions[0].reference {
            logger[metadataKey: "booking"] = .string(bookingID)
            logger[metadataKey: "transaction"] = .string(transactions[0].transactionID)
        }
        var outcomes: [TransactionOutcome] = []
        for transaction in transactions {
            do throws(PaymentProcessingError) {
                let outcome = try await self.processor.handle(transaction, webhookArrivedAt: started)
                Self.log(outcome, of: transaction, logger: logger)
                outcomes.append(outcome)
            } catch {
                logger[metadataKey: "transaction"] = .string(transaction.transactionID)
                return .failed(error)
            }
        }
        if let messageID {
            await self.remember(messageID, logger: logger)
        }
        return .processed(outcomes)
    }
}

extension WebhookController {
    /// One line per transaction of a batch, with its booking (or why it has none).
    private static func log(_ outcome: TransactionOutcome, of transaction: ReportedTransaction, logger: Logger) {
        switch outcome {
        case .payment(let recorded):
            logger.info(
                "Webhook transaction",
                metadata: [
                    "booking": .string(recorded.record.event.bookingID), "transaction": .string(transaction.transactionID),
                    "outcome": .outcome(recorded.isDuplicate ? .duplicate : .new), "status": .string(recorded.record.event.status.rawValue),
                    "role": .string(recorded.record.role.rawValue),
                ]
            )
        case .unmatched(_, let isNew):
            logger.info(
                "Webhook transaction",
                metadata: ["transaction": .string(transaction.transactionID), "outcome": .outcome(isNew ? .unmatched : .duplicate)]
            )
        }
    }

    /// A message id is remembered only after its payment is durable: had the payment failed, the
    /// provider's retry (same id) must be processed, not taken for a replay. Failing to remember
    /// is only logged: a replay of it then meets the ledger's idempotency on the transaction.
    private func remember(_ messageID: String, logger: Logger) async {
        do {
            try await self.replayMemory.rememberWebhookMessage(messageID, until: Date().addingTimeInterval(self.replayWindow / .seconds(1) * 2))
        } catch {
            logger.error("Processed webhook message id not remembered", metadata: ["error": "\(error)"])
        }
    }
}

extension RecordOutcome {
    var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
