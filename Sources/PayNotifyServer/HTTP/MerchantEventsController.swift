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
    /// Whether callbacks are on: redelivery is refused (409) when there is nowhere to deliver.
    let callbacksEnabled: Bool
    let wakeup: CallbackWakeup
    let logger: Logger

    func addRoutes(to router: Router<Context>) {
        router.get("/api/events") { request, _ in
            await self.apiGuard.guarded(request, context: Context.self) { await self.events(request) }
        }
        router.get("/api/events/:id") { request, context in
            await self.apiGuard.guarded(request, context: Context.self) { await self.event(context.parameters.get("id") ?? "") }
        }
        router.post("/api/events/:id/redeliver") { request, context in
            await self.apiGuard.guarded(request, context: Context.self) { await self.redeliver(context.parameters.get("id") ?? "") }
        }
    }

    /// `evt_` and 32 lower-case hex digits, as `CallbackEvent` ids are written.
    static func problem(withEventID id: String) -> String? {
        let hex = id.dropFirst(4)
        guard id.hasPrefix("evt_"), hex.count == 32, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            return "event id must be evt_ followed by 32 lower-case hex digits"
        }
        return nil
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
        if let problem = Self.problem(withEventID: id) { return APIAnswer.refused(problem, status: .badRequest) }
        do {
            guard let entry = try await self.outbox.callbackEvent(id: id) else {
                return APIAnswer.refused("no event \(id)", status: .notFound)
            }
            return JSONResponse.make(try await self.detail(entry), status: .ok)
        } catch {
            return self.unavailable("Callback event not read", error)
        }
    }

    private func redeliver(_ id: String) async -> Response {
        if let problem = Self.problem(withEventID: id) { return APIAnswer.refused(problem, status: .badRequest) }
        guard self.callbacksEnabled else {
            return APIAnswer.refused("callbacks are off: set MERCHANT_CALLBACK_URL to deliver events", status: .conflict)
        }
        do {
            guard let entry = try await self.outbox.redeliver(eventID: id, now: Date()) else {
                return APIAnswer.refused("no event \(id)", status: .notFound)
            }
            self.wakeup.signal()
            self.logger.notice("Callback event queued for redelivery", metadata: ["event": .string(id), "type": .string(entry.event.kind.rawValue)])
            return JSONResponse.make(try await self.detail(entry), status: .accepted)
        } catch {
            return self.unavailable("Callback event not queued for redelivery", error)
        }
    }

    private func detail(_ entry: OutboxEntry) async throws(LedgerError) -> EventDetailAnswer {
        EventDetailAnswer(event: EventAnswer(entry), deliveryAttempts: try await self.outbox.callbackAttempts(ofEvent: entry.event.id).map(AttemptAnswer.init))
    }

    private func unavailable(_ message: Logger.Message, _ error: any Error) -> Response {
        self.logger.error(message, metadata: ["error": "\(error)"])
        return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
    }
}
