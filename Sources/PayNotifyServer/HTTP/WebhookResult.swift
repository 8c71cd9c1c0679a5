import Hummingbird
import Logging

/// How a webhook delivery ended. Its `answer` is the one place every route's outcome is logged
/// (with route, provider, outcome and latency) and turned into the provider's answer.
enum WebhookResult {
    /// Every transaction is durable; nothing new when all were duplicates.
    case processed([TransactionOutcome])
    case duplicate(reason: String)
    case invalid(String)
    case unauthorized(String)
    case failed(PaymentProcessingError)

    var outcome: WebhookOutcome {
        switch self {
        case .processed(let outcomes):
            if outcomes.contains(where: { $0.isNewPayment }) { return .new }
            if outcomes.contains(where: { $0.isNewUnmatched }) { return .unmatched }
            return outcomes.isEmpty ? .ignored : .duplicate
        case .duplicate: return .duplicate
        case .invalid: return .invalid
        case .unauthorized: return .unauthorized
        case .failed: return .failed
        }
    }

    /// `outcome`: this result's `outcome`, computed once by the caller.
    func answer(outcome: WebhookOutcome, logger: Logger, latency: Duration) -> Response {
        // Built only for a line that is written: formatting the latency costs more than the rest
        // of the answer, and at the default level the success lines are not written.
        func metadata(_ detail: Logger.Metadata) -> Logger.Metadata {
            detail.merging(["outcome": .outcome(outcome), "latency": "\(latency)"]) { $1 }
        }
        switch self {
        case .processed(let outcomes):
            logger.info("Webhook recorded", metadata: metadata(["transactions": .stringConvertible(outcomes.count)]))
            return outcome == .duplicate ? WebhookAnswer.duplicateResponse : WebhookAnswer.acceptedResponse
        case .duplicate(let reason):
            logger.info("Webhook recorded", metadata: metadata(["reason": .string(reason)]))
            return WebhookAnswer.duplicateResponse
        case .invalid(let message):
            logger.info("Webhook refused", metadata: metadata(["error": .string(message)]))
            return WebhookAnswer.refused(message).response(status: .badRequest)
        case .unauthorized(let message):
            logger.warning("Webhook refused", metadata: metadata(["error": .string(message)]))
            return WebhookAnswer.refused("unauthorized: \(message)").response(status: .unauthorized)
        case .failed(let error):
            logger.error("Webhook not stored", metadata: metadata(["error": .string(error.description)]))
            switch error {
            case .notStored: return WebhookAnswer.refused("payment could not be stored; retry later").response(status: .serviceUnavailable)
            case .notAnnounced: return WebhookAnswer.refused("payment stored but not announced; retry later").response(status: .serviceUnavailable)
            }
        }
    }
}

/// The webhook's JSON answer: `{"success":true}`, `{"success":true,"duplicate":true}` or
/// `{"success":false,"error":"…"}`. pay2s stops retrying only on HTTP 200 with `success: true`.
struct WebhookAnswer: Encodable {
    let success: Bool
    var duplicate: Bool?
    var error: String?

    static let accepted = WebhookAnswer(success: true)
    static let duplicate = WebhookAnswer(success: true, duplicate: true)
    /// The answers to nearly every delivery, encoded once rather than per webhook.
    private static let acceptedBody = JSONResponse.body(of: accepted)
    private static let duplicateBody = JSONResponse.body(of: duplicate)
    static var acceptedResponse: Response { JSONResponse.make(body: acceptedBody, status: .ok) }
    static var duplicateResponse: Response { JSONResponse.make(body: duplicateBody, status: .ok) }

    static func refused(_ reason: String) -> WebhookAnswer {
        WebhookAnswer(success: false, error: reason)
    }

    func response(status: HTTPResponse.Status) -> Response {
        JSONResponse.make(self, status: status)
    }

    /// A webhook turned away in front of its route's handler (address, rate, drain): logged and
    /// counted under its route like every other outcome, with `Retry-After` when given.
    static func refusal(
        _ reason: String,
        status: HTTPResponse.Status,
        outcome: WebhookOutcome,
        route: String,
        level: Logger.Level,
        metadata: Logger.Metadata = [:],
        retryAfterSeconds: Int? = nil,
        logger: Logger,
        metrics: PayNotifyMetrics
    ) -> Response {
        logger.log(level: level, "Webhook refused", metadata: metadata.merging(["outcome": .outcome(outcome), "route": .string(route)]) { $1 })
        metrics.webhookHandled(route: route, outcome: outcome)
        var response = Self.refused(reason).response(status: status)
        if let retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        return response
    }
}
