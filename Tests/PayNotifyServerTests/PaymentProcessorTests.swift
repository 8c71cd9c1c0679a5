import Foundation
import Payments
import SQLiteLedger
import Testing

@testable import PayNotifyServer

@Suite("Payment processor, through the announcer port and a SQLite ledger")
struct PaymentProcessorTests {
    @Test("A confirming payment is announced once; its retry and a second payment are not")
    func confirmationAnnouncedOnce() async throws {
        try await withProcessor { processor, announcer, _ in
            let first = try await processor.process(paymentEvent("t1", booking: "b1"))
            #expect(first.confirmsBooking)
            #expect(await announcer.confirmations.map(\.event.transactionID) == ["t1"])

            let retry = try await processor.process(paymentEvent("t1", booking: "b1"))
            #expect(retry.isDuplicate)
            let second = try await processor.process(paymentEvent("t2", booking: "b1"))
            #expect(second.record.role == .additionalPayment)
            #expect(await announcer.confirmations.count == 1)
            #expect(await announcer.underpaid.isEmpty)
        }
    }

    @Test("A payment below the registered amount is announced as underpaid, not confirmed")
    func underpaidAnnouncedAsUnderpaid() async throws {
        try await withProcessor { processor, announcer, ledger in
            _ = try await ledger.register(RegisteredBooking(bookingID: "b2", amount: 500_000))
            let outcome = try await processor.process(paymentEvent("t3", booking: "b2", amount: 200_000))
            #expect(outcome.record.event.status == .underpaid)
            let underpaid = await announcer.underpaid
            #expect(underpaid.map(\.payment.transactionID) == ["t3"])
            #expect(underpaid.map(\.expected.amount) == [500_000])
            #expect(await announcer.confirmations.isEmpty)
        }
    }

    @Test("A confirmation that misses a node is stored but notAnnounced; the provider's retry announces it")
    func failedAnnouncementRetried() async throws {
        try await withProcessor { processor, announcer, ledger in
            await announcer.missOtherNodes(true)
            let error = await #expect(throws: PaymentProcessingError.self) {
                try await processor.process(paymentEvent("t4", booking: "b4"))
            }
            guard case .notAnnounced? = error else {
                Issue.record("expected notAnnounced, got \(String(describing: error))")
                return
            }
            #expect(try await ledger.status(ofBooking: "b4").confirmation?.event.transactionID == "t4")

            await announcer.missOtherNodes(false)
            let retry = try await processor.process(paymentEvent("t4", booking: "b4"))
            #expect(retry.isDuplicate)
            #expect(await announcer.confirmations.count == 2)
            _ = try await processor.process(paymentEvent("t4", booking: "b4"))
            #expect(await announcer.confirmations.count == 2)
        }
    }

    @Test("A transfer naming no booking is kept as unmatched once, and announced to no one")
    func unmatchedKeptOnce() async throws {
        try await withProcessor { processor, announcer, ledger in
            let transfer = ReportedTransaction(
                provider: "sepay", transactionID: "t5", amount: 10_000, status: .success,
                reference: .transferContent("no booking code here", code: nil), receivedAt: Date()
            )
            guard case .unmatched(_, isNew: true) = try await processor.handle(transfer) else {
                Issue.record("first delivery not recorded as a new unmatched transfer")
                return
            }
            guard case .unmatched(_, isNew: false) = try await processor.handle(transfer) else {
                Issue.record("the retry was not taken for the same unmatched transfer")
                return
            }
            #expect(try await ledger.unmatchedTransactions(limit: 10).map(\.transactionID) == ["t5"])
            #expect(await announcer.confirmations.isEmpty)
        }
    }
}
