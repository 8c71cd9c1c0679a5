import Foundation
import Hummingbird
import Logging
import Payments

/// The callback events, behind `MERCHANT_API_KEY`: `GET /api/events?after=&limit=` (in the order
/// written), `GET /api/events/{id}` (with every delivery attempt and its answer) and
/// `POST /api/events/{id}/redeliver` (pending again, due now, its schedule restarted: 202).
struct MerchantEventsController<Context: RequestContext>: Sendable {
    let outbox: any CallbackOutbox
    let apiGuard: MerchantAPIGuard
    let redelivery: CallbackRedelivery
    let logger: Logger

    func addRoutes(to router: Router<Context>) {
        router.get("/api/events") { request, _ in
            await self.apiGuard.guarded(request) { await self.events(request) }
        }
        router.get("/api/events/:id") { request, context in
            await self.apiGuard.guarded(request) { await self.event(context.parameters.get("id") ?? "") }
        }
        router.post("/api/events/:id/redeliver") { request, context in
            await self.apiGuard.guarded(request) { await self.redelivery.answer(eventID: context.parameters.get("id") ?? "") }
        }
    }

    private func events(_ request: Request) async -> Response {
        let page: PageRequest
        switch PageRequest.parse(request) {
        case .success(let parsed): page = parsed
        case .failure(let refusal): return refusal.response
        }
        do {
            let shown = page.page(of: try await self.outbox.callbackEvents(after: page.after, limit: page.limit + 1), sequence: \.sequence)
            return JSONResponse.make(EventsPageAnswer(events: shown.items.map(EventAnswer.init), next: shown.next, hasMore: shown.hasMore), status: .ok)
        } catch {
            return self.unavailable("Callback events not read", error)
        }
    }

    private func event(_ id: String) async -> Response {
        if let problem = CallbackRedelivery.problem(withEventID: id) { return APIAnswer.refused(problem, status: .badRequest) }
        do {
            guard let entry = try await self.outbox.callbackEvent(id: id) else {
                return APIAnswer.refused("no event \(id)", status: .notFound)
            }
            return JSONResponse.make(try await EventDetailAnswer(entry, outbox: self.outbox), status: .ok)
        } catch {
            return self.unavailable("Callback event not read", error)
        }
    }

    private func unavailable(_ message: Logger.Message, _ error: any Error) -> Response {
        self.logger.error(message, metadata: ["error": "\(error)"])
        return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
    }
}
