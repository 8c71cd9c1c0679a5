import EngineIO
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// In front of the webhook routes: refuses addresses outside the provider allow-list (403) and
/// rate-limits each client address (429 with `Retry-After`), so a flood from one address costs
/// the others nothing but the work of refusing it.
struct WebhookGuard<Context: RequestContext>: RouterMiddleware {
    let addresses: ClientAddressResolver
    let allowedAddresses: [IPAddressRange]
    let limiter: TokenBucketLimiter
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress
        let client = self.addresses.clientAddress(peer: peer, forwardedFor: request.headers[.xForwardedFor])
        if !self.allowedAddresses.isEmpty, !self.allowedAddresses.contains(where: { $0.contains(client) }) {
            self.logger.warning("Webhook refused", metadata: ["outcome": "forbidden", "client": .string(client), "route": .string(request.uri.path)])
            return WebhookAnswer.refused("address not allowed").response(status: .forbidden)
        }
        if case .limited(let retryAfter) = self.limiter.take(for: client) {
            self.logger.notice("Webhook refused", metadata: ["outcome": "rate-limited", "client": .string(client), "route": .string(request.uri.path)])
            var response = WebhookAnswer.refused("rate limit exceeded").response(status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(retryAfter.rounded(.up)))
            return response
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
