/// Everything the ledger knows about one booking.
public struct BookingStatus: Sendable, Hashable {
    public let bookingID: String
    /// Oldest first.
    public let payments: [PaymentRecord]

    public init(bookingID: String, payments: [PaymentRecord]) {
        self.bookingID = bookingID
        self.payments = payments
    }

    /// The payment that confirmed the booking, if any.
    public var confirmation: PaymentRecord? {
        self.payments.first { $0.role == .confirmation }
    }

    public var isPaid: Bool { self.confirmation != nil }

    /// Successful payments beyond the confirming one: a customer who paid twice.
    public var additionalPayments: [PaymentRecord] {
        self.payments.filter { $0.role == .additionalPayment }
    }

    /// `paid`, else the latest status a provider reported (e.g. `failed`), else `pending`.
    public var summary: String {
        if self.isPaid { return "paid" }
        return self.payments.last?.event.status.rawValue ?? "pending"
    }
}
