import Foundation

/// A payment as a provider reported it (by webhook or through its status API), before it is
/// recorded. The pair (provider, transactionID) identifies it: the same pair again is a retry.
public struct PaymentEvent: Sendable, Hashable {
    /// Who reported the payment, e.g. `generic` for the reference webhook format.
    public var provider: String
    public var transactionID: String
    public var bookingID: String
    /// Exact, as the provider wrote it.
    public var amount: Decimal
    public var status: PaymentStatus
    public var receivedAt: Date

    public init(provider: String, transactionID: String, bookingID: String, amount: Decimal, status: PaymentStatus, receivedAt: Date = Date()) {
        self.provider = provider
        self.transactionID = transactionID
        self.bookingID = bookingID
        self.amount = amount
        self.status = status
        self.receivedAt = receivedAt
    }
}

/// What the provider says happened to a payment. Only `success` confirms a booking; every
/// status is recorded.
public struct PaymentStatus: RawRepresentable, Sendable, Hashable, Codable {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let success = PaymentStatus(rawValue: "success")
    /// A matched payment below its registered booking's expected amount: recorded, announced
    /// as `payment_underpaid`, never as a confirmation.
    public static let underpaid = PaymentStatus(rawValue: "underpaid")

    public var isSuccess: Bool { self == .success }
}
