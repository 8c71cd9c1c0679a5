import Foundation
import Hummingbird
import Logging
import NIOCore
import Payments

/// The merchant's backend API, guarded by `MERCHANT_API_KEY` (`Authorization: Bearer <key>`):
/// `POST /api/bookings` registers what a booking should receive, `GET /api/unmatched` lists the
/// transfers that named no booking. `GET /api/bookings/{id}/qr` is public: a QR shows nothing
/// secret.
struct MerchantAPIController<Context: RequestContext>: Sendable {
    let ledger: any BookingRegistry
    let apiGuard: MerchantAPIGuard
    let registrations: BookingRegistrationParser
    let quickLinks: BookingQuickLinks
    let unmatched: UnmatchedListing
    let logger: Logger

    static var maximumBodyBytes: Int { 16_384 }

    func addRoutes(to router: Router<Context>) {
        router.post("/api/bookings") { request, _ in
            await self.guarded(request) { await self.register(request) }
        }
        router.get("/api/unmatched") { request, _ in
            await self.guarded(request) { await self.unmatched.answer(request) }
        }
        router.get("/api/bookings/:id/qr") { request, context in
            await self.quickLinks.answer(bookingID: context.parameters.get("id") ?? "", amount: request.uri.queryParameters["amount"].map(String.init))
        }
    }

    private func guarded(_ request: Request, _ handle: () async -> Response) async -> Response {
        await self.apiGuard.guarded(request, handle)
    }

    private func register(_ request: Request) async -> Response {
        let booking: RegisteredBooking
        do {
            let body = try await request.body.collect(upTo: Self.maximumBodyBytes)
            booking = try self.registrations.parse(Data(body.readableBytesView))
        } catch let error as InputValidationError {
            return APIAnswer.refused(error.message, status: .badRequest)
        } catch {
            return APIAnswer.refused("body larger than \(Self.maximumBodyBytes) bytes", status: .badRequest)
        }
        do {
            switch try await self.ledger.register(booking) {
            case .registered(let stored):
                self.logger.info(
                    "Booking registered",
                    metadata: ["booking": .string(stored.bookingID), "amount": .string(stored.amount.description), "memo": .string(stored.transferMemo)]
                )
                return JSONResponse.make(RegisteredBookingAnswer(stored), status: .ok)
            case .memoTaken(let owner):
                return APIAnswer.refused("memo \(booking.memo ?? "") is already used by booking \(owner)", status: .conflict)
            }
        } catch {
            self.logger.error("Booking not registered", metadata: ["booking": .string(booking.bookingID), "error": "\(error)"])
            return APIAnswer.refused("booking could not be stored; retry later", status: .serviceUnavailable)
        }
    }
}

/// `{"success":false,"error":"…"}` with a status, for every refusal of the merchant API.
enum APIAnswer {
    static func refused(_ reason: String, status: HTTPResponse.Status) -> Response {
        WebhookAnswer.refused(reason).response(status: status)
    }
}

/// A registration as `POST /api/bookings` answers it.
struct RegisteredBookingAnswer: Encodable {
    let success = true
    let bookingId: String
    let amount: Decimal
    let currency: String
    let memo: String
    let expiresAt: String?

    init(_ booking: RegisteredBooking) {
        self.bookingId = booking.bookingID
        self.amount = booking.amount
        self.currency = booking.currency
        self.memo = booking.transferMemo
        self.expiresAt = booking.expiresAt.map(PaymentNotifications.timestamp)
    }
}

/// `GET /api/unmatched`: newest first.
struct UnmatchedAnswer: Encodable {
    struct Transaction: Encodable {
        let provider: String
        let transactionId: String
        let amount: Decimal
        let content: String
        let reason: String
        let receivedAt: String
        let recordedAt: String

        init(_ transaction: UnmatchedTransaction) {
            self.provider = transaction.provider
            self.transactionId = transaction.transactionID
            self.amount = transaction.amount
            self.content = transaction.content
            self.reason = transaction.reason
            self.receivedAt = PaymentNotifications.timestamp(transaction.receivedAt)
            self.recordedAt = PaymentNotifications.timestamp(transaction.recordedAt)
        }
    }

    let success = true
    let transactions: [Transaction]
}
