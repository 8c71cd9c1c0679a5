import Logging

/// What became of one webhook: the one vocabulary of webhook logs (`outcome`) and of the
/// `paynotify_webhooks_total` metric's `outcome` label, whatever the provider route.
enum WebhookOutcome: String, Sendable, CaseIterable {
    /// Recorded for the first time (and announced, if it confirmed its booking).
    case new
    /// Already recorded, or its delivery already processed: answered 200, nobody notified.
    case duplicate
    /// A transfer that names no booking, recorded for operators (`GET /api/unmatched`): 200.
    case unmatched
    /// Nothing to record (only outgoing transfers): 200.
    case ignored
    /// Not a valid payment (bad JSON, missing fields, body too large): 400.
    case invalid
    /// Missing or wrong credentials: 401.
    case unauthorized
    /// From an address outside `WEBHOOK_ALLOWED_IPS`: 403.
    case forbidden
    /// Over the per-address rate limit: 429.
    case rateLimited = "rate-limited"
    /// Could not be stored or announced: 503, the provider retries.
    case failed
    /// Arrived while the server was draining: 503 with `Retry-After`.
    case draining
}

extension Logger.MetadataValue {
    /// A webhook outcome in log metadata, spelled as in the metrics.
    static func outcome(_ outcome: WebhookOutcome) -> Self {
        .string(outcome.rawValue)
    }
}
