import Foundation
import Payments
import Testing

@testable import PayNotifyServer

/// The outcome label every webhook route is logged (and counted) under, in one place.
@Suite("Webhook outcomes")
struct WebhookResultTests {
    private static let record = PaymentRecord(
        event: PaymentEvent(provider: "pay2s", transactionID: "1", bookingID: "BK1", amount: 1, status: .success),
        role: .confirmation,
        recordedAt: Date()
    )
    private static let unmatched = UnmatchedTransaction(provider: "pay2s", transactionID: "2", amount: 1, content: "x", reason: "no code", receivedAt: Date())

    @Test(
        "A delivery is new if anything in it was, else unmatched if a new transfer named no booking, else a duplicate",
        arguments: [
            ([TransactionOutcome.payment(.recorded(record)), .payment(.duplicate(record))], "new"),
            ([.payment(.duplicate(record)), .unmatched(unmatched, isNew: true)], "unmatched"),
            ([.payment(.recorded(record)), .unmatched(unmatched, isNew: true)], "new"),
            ([.payment(.duplicate(record)), .unmatched(unmatched, isNew: false)], "duplicate"),
            ([], "ignored"),
        ]
    )
    func processed(outcomes: [TransactionOutcome], label: String) {
        #expect(WebhookResult.processed(outcomes).outcome.rawValue == label)
    }

    @Test("Refusals and failures have their own labels")
    func refused() {
        #expect(WebhookResult.duplicate(reason: "message already processed").outcome == .duplicate)
        #expect(WebhookResult.invalid("x").outcome == .invalid)
        #expect(WebhookResult.unauthorized("x").outcome == .unauthorized)
        #expect(WebhookResult.failed(.notAnnounced).outcome == .failed)
    }
}
