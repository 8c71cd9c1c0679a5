import Foundation
import Hummingbird
import Logging
import Payments

/// What the merchant's backend reads to reconcile, behind `MERCHANT_API_KEY`:
/// `GET /api/bookings/{id}` (status, payments with their roles, confirmation, registration) and
/// `GET /api/payments?after=&limit=` (every payment in recording order, a cursor to read on).
struct MerchantStatusController<Context: RequestContext>: Sendable {
    let ledger: any PaymentLedger & BookingRegistry
    let history: any PaymentHistory
    let apiGuard: MerchantAPIGuard
    let logger: Logger

    func addRoutes(to router: Router<Context>) {
        router.get("/api/bookings/:id") { request, context in
            await self.apiGuard.guarded(request) { await self.booking(context.parameters.get("id") ?? "") }
        }
        router.get("/api/payments") { request, _ in
            await self.apiGuard.guarded(request) { await self.payments(request) }
        }
    }

    private func booking(_ segment: String) async -> Response {
        guard let bookingID = segment.removingPercentEncoding else {
            return APIAnswer.refused("the booking id in the path is not valid percent-encoding", status: .badRequest)
        }
        if let problem = BookingID.problem(with: bookingID) {
            return APIAnswer.refused(problem, status: .badRequest)
        }
        do {
            let status = try await self.ledger.status(ofBooking: bookingID)
            let registration = try await self.ledger.registeredBooking(id: bookingID)
            return JSONResponse.make(BookingAnswer(status, registration: registration), status: .ok)
        } catch {
            self.logger.error("Booking status not read", metadata: ["booking": .string(bookingID), "error": "\(error)"])
            return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
        }
    }

    private func payments(_ request: Request) async -> Response {
        let page: PageRequest
        switch PageRequest.parse(request) {
        case .success(let parsed): page = parsed
        case .failure(let refusal): return refusal.response
        }
        do {
            let shown = page.page(of: try await self.history.payments(after: page.after, limit: page.limit + 1), sequence: \.sequence)
            return JSONResponse.make(
                PaymentsPageAnswer(payments: shown.items.map { PaymentAnswer($0.record, sequence: $0.sequence) }, next: shown.next, hasMore: shown.hasMore),
                status: .ok
            )
        } catch {
            self.logger.error("Payments not read", metadata: ["error": "\(error)"])
            return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
        }
    }
}
