import Foundation
import Hummingbird
import NIOCore
import Payments

/// `GET /metrics`: every metric in Prometheus text format, sampled at the time of the request.
/// With `METRICS_TOKEN` set, only for `Authorization: Bearer <token>` (401 otherwise).
struct MetricsController<Context: RequestContext>: Sendable {
    let metrics: PayNotifyMetrics
    let sampler: MetricsSampler
    /// Nil: open.
    let authenticator: SharedTokenAuthenticator?

    func addRoutes(to router: Router<Context>) {
        router.get("/metrics") { request, _ in
            self.scrape(request)
        }
    }

    func scrape(_ request: Request) -> Response {
        if let authenticator {
            do {
                _ = try authenticator.authenticate(CredentialedRequest(request))
            } catch {
                var response = Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: "unauthorized: \(error.description)\n")))
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
        }
        self.sampler.sample()
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: self.metrics.exposition()))
        )
    }
}
