import Foundation
import Payments
import SQLiteLedger
import Testing

@Suite("Transaction status transitions")
struct PaymentStatusTransitionTests {
    @Test("A pending transaction that later succeeds confirms its booking")
    func pendingThenSuccess() async throws {
        try await withLedger { ledger, _ in
            let pending = try await ledger.record(payment("txn-1", status: "pending"))
            #expect(pending.record.role == .nonSuccess)
            let success = try await ledger.record(payment("txn-1", status: "success"))
            #expect(success.confirmsBooking)
            let status = try await ledger.status(ofBooking: "booking-1")
            #expect(status.payments.count == 1)
            #expect(status.summary == "paid")
        }
    }

    @Test("A success is final: later reports of the transaction are duplicates", arguments: ["success", "failed", "pending"])
    func successIsFinal(later: String) async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("txn-1", status: "success"))
            let outcome = try await ledger.record(payment("txn-1", status: later))
            guard case .duplicate(let record) = outcome else {
                Issue.record("expected .duplicate, got \(outcome)")
                return
            }
            #expect(record.event.status == .success)
        }
    }

    @Test("Pending then failed is recorded; the same status twice is a retry")
    func pendingThenFailed() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("txn-1", status: "pending"))
            let repeated = try await ledger.record(payment("txn-1", status: "pending"))
            guard case .duplicate = repeated else {
                Issue.record("expected .duplicate, got \(repeated)")
                return
            }
            let failed = try await ledger.record(payment("txn-1", status: "failed"))
            guard case .recorded(let record) = failed else {
                Issue.record("expected .recorded, got \(failed)")
                return
            }
            #expect(record.role == .nonSuccess)
            #expect(try await ledger.status(ofBooking: "booking-1").summary == "failed")
        }
    }
}
