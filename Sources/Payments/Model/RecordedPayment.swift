/// What recording a reported payment came to, with the registration it was checked against.
public struct RecordedPayment: Sendable, Hashable {
    public let outcome: RecordOutcome
    /// The booking's registration, when it has one: a success below its amount was recorded
    /// `underpaid`.
    public let registration: RegisteredBooking?

    public init(outcome: RecordOutcome, registration: RegisteredBooking?) {
        self.outcome = outcome
        self.registration = registration
    }
}

extension PaymentEvent {
    /// The event as its booking's registration makes it: a success below the registered amount
    /// is `underpaid` (never a confirmation); anything else is unchanged. Every ledger records
    /// what this returns, so the rule lives in one place.
    public func checked(against registration: RegisteredBooking?) -> PaymentEvent {
        guard self.status.isSuccess, let registration, self.amount < registration.amount else { return self }
        var checked = self
        checked.status = .underpaid
        return checked
    }
}
