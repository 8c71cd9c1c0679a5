import Foundation
import Hummingbird
import Logging
import Payments
import SocketIO

/// The dashboard's data, JSON behind the session cookie (`AdminSessionGuard`):
/// `GET /admin/api/overview` (this node's figures, every node's `node_info` answer and the
/// session's end),
/// `GET /admin/api/callbacks?limit=` (events not delivered, newest first),
/// `GET /admin/api/unmatched?limit=` and `POST /admin/api/events/{id}/redeliver`, the last two
/// answered exactly as the merchant API's `GET /api/unmatched` and redelivery are.
struct AdminAPIController<Context: RequestContext>: Sendable {
    let outbox: any CallbackOutbox
    let figures: NodeFigures
    let namespace: SocketIONamespace
    let unmatched: UnmatchedListing
    let redelivery: CallbackRedelivery
    let cookie: AdminSessionCookie
    let logger: Logger

    func addRoutes(to router: Router<Context>) {
        let api = router.group("/admin/api").add(middleware: AdminSessionGuard<Context>(cookie: self.cookie))
        api.get("/overview") { request, _ in
            await self.overview(request)
        }
        api.get("/callbacks") { request, _ in
            await self.undelivered(request)
        }
        api.get("/unmatched") { request, _ in
            await self.unmatched.answer(request)
        }
        api.post("/events/:id/redeliver") { _, context in
            await self.redelivery.answer(eventID: context.parameters.get("id") ?? "")
        }
    }

    private struct OverviewAnswer: Encodable {
        let success = true
        let node: NodeReport
        /// What every node answered to `node_info`, Node socket.io nodes of the cluster included.
        let cluster: NodeInfo.Cluster
        /// Whether callbacks are on (`MERCHANT_CALLBACK_URL`): without them nothing can be redelivered.
        let callbacksEnabled: Bool
        let sessionExpiresAt: String
    }

    /// How long the overview waits for the other nodes' `node_info`: a silent node is reported
    /// missing rather than holding the page.
    var clusterTimeout: Duration = .seconds(1)

    private func overview(_ request: Request) async -> Response {
        // The guard let the request in: its session is valid, this reads its expiry.
        let expiry = (try? self.cookie.verify(request.headers)) ?? Date()
        let cluster = await NodeInfo.cluster(self.figures, timeout: self.clusterTimeout)
        return JSONResponse.make(
            OverviewAnswer(
                node: NodeReport(self.figures, operators: self.namespace.socketCount),
                cluster: cluster,
                callbacksEnabled: self.redelivery.callbacksEnabled,
                sessionExpiresAt: PaymentNotifications.timestamp(expiry)
            ),
            status: .ok
        )
    }

    private func undelivered(_ request: Request) async -> Response {
        let limit: Int
        switch PageRequest.limit(in: request) {
        case .success(let value): limit = value
        case .failure(let refusal): return refusal.response
        }
        do {
            return JSONResponse.make(UndeliveredEventsAnswer(events: try await self.outbox.undeliveredCallbacks(limit: limit).map(EventAnswer.init)), status: .ok)
        } catch {
            self.logger.error("Undelivered callback events not read", metadata: ["error": "\(error)"])
            return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
        }
    }
}
