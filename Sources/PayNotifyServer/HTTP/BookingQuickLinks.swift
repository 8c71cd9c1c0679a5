import Foundation
import Hummingbird
import Logging
import Payments

/// `GET /api/bookings/{id}/qr[?amount=N]`: the VietQR link for a booking, with the memo the
/// matcher will recognise as that booking (the registered memo, else the booking id) and the
/// registered amount (else the query's). Answers `{"bookingId","memo","amount","url"}`; 404 when
/// no bank account is configured; 400 when the memo or amount cannot go into a VietQR.
struct BookingQuickLinks: Sendable {
    let ledger: any BookingRegistry
    let account: VietQRLink.Account?
    let matcher: MemoMatcher
    let logger: Logger

    struct Answer: Encodable {
        let bookingId: String
        let memo: String
        let amount: Decimal?
        let url: String
    }

    func answer(bookingID: String, amount amountText: String?) async -> Response {
        guard let account = self.account else {
            return APIAnswer.refused("bank account not configured", status: .notFound)
        }
        let registration: RegisteredBooking?
        do {
            registration = try await self.ledger.registeredBooking(id: bookingID)
        } catch {
            self.logger.error("Registered booking not read", metadata: ["booking": .string(bookingID), "error": "\(error)"])
            return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
        }
        let memo = registration?.transferMemo ?? bookingID
        // Unregistered, the memo is the booking id, which the matcher must read back exactly.
        guard registration?.memo != nil || self.matcher.recognises(memo, as: bookingID) else {
            return APIAnswer.refused("booking id \(bookingID) cannot be a transfer memo: memos are \(self.matcher.patternDescription)", status: .badRequest)
        }
        var amount = registration?.amount
        if amount == nil, let amountText {
            guard let parsed = Decimal(string: amountText, locale: Locale(identifier: "en_US_POSIX")), parsed.description == amountText else {
                return APIAnswer.refused("amount must be a whole number of đồng", status: .badRequest)
            }
            amount = parsed
        }
        do {
            let link = try VietQRLink(account: account, amount: amount, memo: memo)
            return JSONResponse.make(Answer(bookingId: bookingID, memo: memo, amount: amount, url: link.url.absoluteString), status: .ok)
        } catch {
            return APIAnswer.refused(error.description, status: .badRequest)
        }
    }
}
