import Payments
import SocketIO

/// `payment_underpaid {bookingId, transactionId, amount, expected}`: sent instead of the success
/// events when a matched payment is below its registered booking's expected amount, so the page
/// can ask for the rest rather than wait.
struct PaymentUnderpaidNotification: Sendable {
    static let event = "payment_underpaid"

    let payload: SocketIOValue

    init(payment: PaymentEvent, expected: RegisteredBooking) {
        self.payload = [
            "bookingId": .string(payment.bookingID),
            "transactionId": .string(payment.transactionID),
            "amount": PaymentNotifications.number(payment.amount),
            "expected": PaymentNotifications.number(expected.amount),
        ]
    }
}
