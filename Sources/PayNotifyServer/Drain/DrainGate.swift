import Hummingbird
import Logging

/// In front of the webhook routes: while draining, a webhook is refused with 503 and
/// `Retry-After` (the provider retries, on another node behind the balancer); otherwise it is
/// counted in flight until answered, so the drain can wait for it.
struct DrainGate<Context: RequestContext>: RouterMiddleware {
    /// Seconds a provider is asked to wait before retrying.
    static var retryAfterSeconds: Int { 5 }

    let state: DrainState
    let metrics: PayNotifyMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard self.state.enterWebhook() else {
            return WebhookAnswer.refusal(
                "server is shutting down; retry later", status: .serviceUnavailable, outcome: .draining,
                route: context.endpointPath ?? request.uri.path, level: .notice,
                retryAfterSeconds: Self.retryAfterSeconds, logger: context.logger, metrics: self.metrics
            )
        }
        defer { self.state.leaveWebhook() }
        return try await next(request, context)
    }
}
