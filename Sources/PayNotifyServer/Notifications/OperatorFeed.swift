import Payments

/// What operators watch as it happens, told by the places where it happens: payment processing
/// (a payment or an unmatched transfer newly recorded, with the callback event written with
/// it), the callback worker (an attempt settled) and redelivery. They know nothing of how it
/// reaches operators (the dashboard's Socket.IO namespace).
///
/// Each call must return at once: it is made on a webhook's path, which must not wait for a
/// dashboard.
protocol OperatorFeed: Sendable {
    func paymentRecorded(_ payment: RecordedPayment)
    func unmatchedRecorded(_ transaction: UnmatchedTransaction)
    /// An attempt of `claimed` was made and stored, leaving the event as `outcome` says.
    func callbackAttempted(_ claimed: OutboxEntry, attempt: CallbackAttempt, outcome: CallbackOutcome)
    /// The event was made pending again, due now (`POST …/redeliver`).
    func callbackRedelivered(_ entry: OutboxEntry)
}
