import Foundation

/// Reads `POST /api/bookings {bookingId, amount, currency?, memo?, expiresAt?}`: what the
/// merchant's backend says a booking should receive.
public struct BookingRegistrationParser: Sendable {
    public let matcher: MemoMatcher

    public init(matcher: MemoMatcher) {
        self.matcher = matcher
    }

    public func parse(_ body: Data, now: Date = Date()) throws(InputValidationError) -> RegisteredBooking {
        let object = try JSONField.object(from: body)
        let bookingID = try JSONField.requiredString("bookingId", in: object, maximumLength: BookingID.maximumLength)
        if let problem = BookingID.problem(with: bookingID) { throw InputValidationError(problem) }
        let amount = try JSONField.number("amount", in: object)
        guard amount > 0 else { throw InputValidationError("amount must be positive") }
        let currency = try JSONField.optionalString("currency", in: object)?.uppercased() ?? "VND"
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw InputValidationError("currency must be a three-letter code such as VND")
        }
        let memo = try JSONField.optionalString("memo", in: object)
        if let memo, !self.matcher.recognises(memo, as: memo.uppercased()) || memo.count > VietQRLink.maximumMemoLength {
            throw InputValidationError("memo must be \(self.matcher.patternDescription), e.g. \(self.matcher.prefix)12537")
        }
        var expiresAt: Date?
        if let text = try JSONField.optionalString("expiresAt", in: object) {
            guard let date = Self.date(text) else { throw InputValidationError("expiresAt must be an ISO-8601 time such as 2025-04-01T10:30:00Z") }
            guard date > now else { throw InputValidationError("expiresAt is in the past") }
            expiresAt = date
        }
        return RegisteredBooking(bookingID: bookingID, amount: amount, currency: currency, memo: memo, expiresAt: expiresAt, registeredAt: now)
    }

    private static func date(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
