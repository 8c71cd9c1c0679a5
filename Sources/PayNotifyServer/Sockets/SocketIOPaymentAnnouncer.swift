import Payments
import SocketIO

/// Announces payments to the booking's room on every node. In cluster mode each broadcast is
/// one Redis publish, whatever the number of events in it.
struct SocketIOPaymentAnnouncer: PaymentAnnouncer {
    let io: SocketIOServer

    /// Each socket gets both events in one write.
    func announce(_ confirmation: PaymentRecord) async -> Bool {
        let notifications = PaymentNotifications(confirmation: confirmation)
        return await self.io.to(BookingRoom(bookingID: confirmation.event.bookingID).name).emit(together: [
            (PaymentNotifications.transactionSuccess, [notifications.transactionSuccessPayload]),
            (PaymentNotifications.paymentConfirmed, [notifications.paymentConfirmedPayload]),
        ])
    }

    func announceUnderpaid(_ payment: PaymentEvent, expected: RegisteredBooking) async -> Bool {
        let notification = PaymentUnderpaidNotification(payment: payment, expected: expected)
        return await self.io.to(BookingRoom(bookingID: payment.bookingID).name).emit(PaymentUnderpaidNotification.event, notification.payload)
    }
}
