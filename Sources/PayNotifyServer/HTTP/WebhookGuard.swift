import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// In front of the webhook routes: refuses addresses outside the provider allow-list (403) and
/// rate-limits each client address (429 with `Retry-After`), so a flood from one address costs
/// the others nothing but the work of refusing it.
struct WebhookGuard<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let addresses: ClientAddressResolver
    let allowedAddresses: [IPAddressRange]
    let limiter: TokenBucketLimiter
    let metrics: PayNotifyMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = self.addresses.clientAddress(peer: context.remoteAddress, forwardedFor: request.headers[.xForwardedFor])
        let route = context.endpointPath ?? request.uri.path
        if !self.allowedAddresses.isEmpty, !self.allowedAddresses.contains(where: { $0.contains(client) }) {
            return WebhookAnswer.refusal(
                "address not allowed", status: .forbidden, outcome: .forbidden, route: route, level: .warning,
                metadata: ["client": .string(client)], logger: context.logger, metrics: self.metrics
            )
        }
        if case .limited(let retryAfter) = self.limiter.take(for: client) {
            return WebhookAnswer.refusal(
                "rate limit exceeded", status: .tooManyRequests, outcome: .rateLimited, route: route, level: .notice,
                metadata: ["client": .string(client)], retryAfterSeconds: Int(retryAfter.rounded(.up)), logger: context.logger, metrics: self.metrics
            )
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
