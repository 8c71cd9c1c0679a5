import Payments

/// Where payment processing tells the pages watching a booking what became of it. The processor
/// knows what to announce and when; how it reaches the pages (Socket.IO rooms, other nodes
/// through the adapter) is the announcer's, so the processor is tested without a socket server.
///
/// Each call returns whether every node was reached: a confirmation not announced everywhere
/// makes the webhook answer 503, so that the provider's retry announces it again.
protocol PaymentAnnouncer: Sendable {
    /// `confirmation` paid its booking: both success events, in one broadcast.
    func announce(_ confirmation: PaymentRecord) async -> Bool
    /// `payment` was matched to its booking but is below what `expected` registered.
    func announceUnderpaid(_ payment: PaymentEvent, expected: RegisteredBooking) async -> Bool
}
