import Foundation
import Payments

/// A recorded payment as the merchant API shows it. `sequence` is its cursor in
/// `GET /api/payments` (absent in a booking's list).
struct PaymentAnswer: Encodable {
    let provider: String
    let transactionId: String
    let bookingId: String
    let amount: Decimal
    let status: String
    /// `confirmation`, `additional` (paid twice: refund) or `non-success`.
    let role: String
    let announced: Bool
    let receivedAt: String
    let recordedAt: String
    let sequence: String?

    init(_ record: PaymentRecord, sequence: Int64? = nil) {
        self.provider = record.event.provider
        self.transactionId = record.event.transactionID
        self.bookingId = record.event.bookingID
        self.amount = record.event.amount
        self.status = record.event.status.rawValue
        self.role = record.role.rawValue
        self.announced = record.announced
        self.receivedAt = PaymentNotifications.timestamp(record.event.receivedAt)
        self.recordedAt = PaymentNotifications.timestamp(record.recordedAt)
        self.sequence = sequence.map(String.init)
    }
}

/// `GET /api/bookings/{id}`: what the ledger knows of one booking.
struct BookingAnswer: Encodable {
    struct Registration: Encodable {
        let amount: Decimal
        let currency: String
        let memo: String
        let expiresAt: Nullable<String>
        let registeredAt: String
    }

    let success = true
    let bookingId: String
    /// `paid`, else the latest status a provider reported (`underpaid`, `failed`, …), else `pending`.
    let status: String
    let paid: Bool
    let confirmedAt: Nullable<String>
    /// Whether the confirmation's notification went out to the pages.
    let announced: Bool
    let confirmation: Nullable<PaymentAnswer>
    let payments: [PaymentAnswer]
    let registration: Nullable<Registration>

    init(_ status: BookingStatus, registration: RegisteredBooking?) {
        self.bookingId = status.bookingID
        self.status = status.summary
        self.paid = status.isPaid
        self.confirmedAt = Nullable(status.confirmation.map { PaymentNotifications.timestamp($0.recordedAt) })
        self.announced = status.confirmation?.announced ?? false
        self.confirmation = Nullable(status.confirmation.map { PaymentAnswer($0) })
        self.payments = status.payments.map { PaymentAnswer($0) }
        self.registration = Nullable(registration.map {
            Registration(
                amount: $0.amount, currency: $0.currency, memo: $0.transferMemo, expiresAt: Nullable($0.expiresAt.map(PaymentNotifications.timestamp)),
                registeredAt: PaymentNotifications.timestamp($0.registeredAt)
            )
        })
    }
}

/// `GET /api/payments`: a page of the payment history.
struct PaymentsPageAnswer: Encodable {
    let success = true
    let payments: [PaymentAnswer]
    /// Pass as `after` to read on; null before anything was recorded.
    let next: Nullable<String>
    let hasMore: Bool
}
