import Foundation

/// The reference design's webhook: `{"bookingId","transactionId","amount","status"}`.
public struct GenericWebhookParser: Sendable {
    /// The provider name its payments are recorded under; the status poller uses it too, as both
    /// speak for the same provider of the reference design.
    public static let provider = "generic"
    static let maximumIdentifierLength = 128

    public init() {}

    public func parse(_ body: Data, receivedAt: Date = Date()) throws(InputValidationError) -> PaymentEvent {
        let object = try JSONField.object(from: body)
        let bookingID = try JSONField.requiredString("bookingId", in: object, maximumLength: BookingID.maximumLength)
        if let problem = BookingID.problem(with: bookingID) { throw InputValidationError(problem) }
        let transactionID = try JSONField.requiredString("transactionId", in: object, maximumLength: Self.maximumIdentifierLength)
        let status = try JSONField.requiredString("status", in: object, maximumLength: 32)
        guard let amountField = object["amount"], amountField != .null else { throw InputValidationError("amount is required") }
        guard case .number(let amount) = amountField else {
            throw InputValidationError("amount must be a number, not \(amountField.typeName)")
        }
        guard amount >= 0 else { throw InputValidationError("amount must not be negative") }
        return PaymentEvent(
            provider: Self.provider,
            transactionID: transactionID,
            bookingID: bookingID,
            amount: amount,
            status: PaymentStatus(rawValue: status),
            receivedAt: receivedAt
        )
    }
}
