import Foundation
import Payments
import SocketIO
import Testing

@testable import PayNotifyServer

@Suite("Payment notifications")
struct PaymentNotificationsTests {
    static let confirmedAt = Date(timeIntervalSince1970: 1_705_314_600)

    func confirmation(bookingID: String = "test-booking-123", transactionID: String = "test-txn-456", amount: Decimal, recordedAt: Date = confirmedAt) -> PaymentRecord {
        PaymentRecord(
            event: PaymentEvent(
                provider: "generic",
                transactionID: transactionID,
                bookingID: bookingID,
                amount: amount,
                status: .success,
                receivedAt: recordedAt.addingTimeInterval(-3)
            ),
            role: .confirmation,
            recordedAt: recordedAt
        )
    }

    @Test("Event names are the reference server's")
    func eventNames() {
        #expect(PaymentNotifications.transactionSuccess == "transaction_success")
        #expect(PaymentNotifications.paymentConfirmed == "payment_confirmed")
    }

    @Test("An integral amount: payloads exactly as the reference server's")
    func integralAmount() {
        let notifications = PaymentNotifications(confirmation: confirmation(amount: 500_000))
        let expectedSuccess: SocketIOValue = [
            "bookingId": "test-booking-123",
            "transactionId": "test-txn-456",
            "amount": .int(500_000),
            "timestamp": "2024-01-15T10:30:00.000Z",
        ]
        let expectedConfirmed: SocketIOValue = [
            "bookingId": "test-booking-123",
            "transactionId": "test-txn-456",
            "amount": .int(500_000),
            "confirmed": true,
        ]
        #expect(notifications.transactionSuccessPayload == expectedSuccess)
        #expect(notifications.paymentConfirmedPayload == expectedConfirmed)
    }

    @Test("A fractional amount is a JSON number with a fraction")
    func fractionalAmount() {
        let notifications = PaymentNotifications(confirmation: confirmation(bookingID: "b-7", transactionID: "t-9", amount: decimal("10.5")))
        let expectedSuccess: SocketIOValue = [
            "bookingId": "b-7",
            "transactionId": "t-9",
            "amount": .double(10.5),
            "timestamp": "2024-01-15T10:30:00.000Z",
        ]
        let expectedConfirmed: SocketIOValue = ["bookingId": "b-7", "transactionId": "t-9", "amount": .double(10.5), "confirmed": true]
        #expect(notifications.transactionSuccessPayload == expectedSuccess)
        #expect(notifications.paymentConfirmedPayload == expectedConfirmed)
    }

    @Test(
        "Amounts keep the JSON number kind the provider used",
        arguments: [
            ("500000", SocketIOValue.int(500_000)),
            ("0", .int(0)),
            ("42", .int(42)),
            ("500000.00", .int(500_000)),
            ("10.5", .double(10.5)),
            ("10.50", .double(10.5)),
            ("0.1", .double(0.1)),
            ("99.99", .double(99.99)),
            ("123456789.123456789", .double(123456789.123456789)),
        ]
    )
    func amountKind(amount: String, expected: SocketIOValue) {
        #expect(PaymentNotifications.number(decimal(amount)) == expected)
        #expect(PaymentNotifications(confirmation: confirmation(amount: decimal(amount))).paymentConfirmedPayload["amount"] == expected)
    }

    @Test(
        "Timestamps are ISO-8601 UTC with milliseconds, like JavaScript's toISOString()",
        arguments: [
            (1_705_314_600.0, "2024-01-15T10:30:00.000Z"),
            (1_705_314_600.5, "2024-01-15T10:30:00.500Z"),
            (1_705_314_600.25, "2024-01-15T10:30:00.250Z"),
            (0, "1970-01-01T00:00:00.000Z"),
            (1_709_208_000, "2024-02-29T12:00:00.000Z"),
        ]
    )
    func timestamp(secondsSince1970: Double, expected: String) {
        #expect(PaymentNotifications.timestamp(Date(timeIntervalSince1970: secondsSince1970)) == expected)
    }

    @Test("The timestamp is when the payment was recorded, not received")
    func timestampIsRecordingTime() {
        let recordedAt = Date(timeIntervalSince1970: 1_709_208_000)
        let notifications = PaymentNotifications(confirmation: confirmation(amount: 1, recordedAt: recordedAt))
        #expect(notifications.transactionSuccessPayload["timestamp"] == "2024-02-29T12:00:00.000Z")
        #expect(notifications.paymentConfirmedPayload["timestamp"] == nil)
    }
}
