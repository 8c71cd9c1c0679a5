import Foundation
import Payments
import SocketIO

/// The two events the reference server sends when a booking is paid, with its exact payloads:
/// `transaction_success {bookingId, transactionId, amount, timestamp}` then
/// `payment_confirmed {bookingId, transactionId, amount, confirmed: true}`.
struct PaymentNotifications: Sendable {
    static let transactionSuccess = "transaction_success"
    static let paymentConfirmed = "payment_confirmed"

    let transactionSuccessPayload: SocketIOValue
    let paymentConfirmedPayload: SocketIOValue

    /// The notifications for the payment that confirmed a booking; `timestamp` is when it was
    /// recorded, so a replay shows the original confirmation time.
    init(confirmation: PaymentRecord) {
        let event = confirmation.event
        let amount = Self.number(event.amount)
        self.transactionSuccessPayload = [
            "bookingId": .string(event.bookingID),
            "transactionId": .string(event.transactionID),
            "amount": amount,
            "timestamp": .string(Self.timestamp(confirmation.recordedAt)),
        ]
        self.paymentConfirmedPayload = [
            "bookingId": .string(event.bookingID),
            "transactionId": .string(event.transactionID),
            "amount": amount,
            "confirmed": true,
        ]
    }

    /// ISO-8601 UTC with milliseconds, as JavaScript's `toISOString()`: `2024-01-15T10:30:00.000Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// JSON numbers as the provider sent them: integers stay integers.
    static func number(_ amount: Decimal) -> SocketIOValue {
        if amount.isWholeNumber, let integer = Int(exactly: NSDecimalNumber(decimal: amount).int64Value),
            Decimal(integer) == amount
        {
            return .int(integer)
        }
        return .double(NSDecimalNumber(decimal: amount).doubleValue)
    }

    /// To one socket that subscribed after the payment.
    func send(to socket: SocketIOSocket) {
        socket.emit(Self.transactionSuccess, self.transactionSuccessPayload)
        socket.emit(Self.paymentConfirmed, self.paymentConfirmedPayload)
    }
}
