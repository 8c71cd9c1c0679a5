import Foundation

/// The webhook message ids already processed, so that a replayed (or retried) delivery is
/// answered as a duplicate without being processed again. Only the webhook route uses it.
public protocol WebhookReplayMemory: Sendable {
    /// Whether a webhook delivery with this message id was already processed (a replay, or the
    /// provider retrying a delivery whose answer it did not get).
    func hasProcessedWebhookMessage(_ id: String) async throws(LedgerError) -> Bool
    /// Remembers a processed webhook message id until `expiry`, past which its signature's
    /// timestamp is refused anyway.
    func rememberWebhookMessage(_ id: String, until expiry: Date) async throws(LedgerError)
}
