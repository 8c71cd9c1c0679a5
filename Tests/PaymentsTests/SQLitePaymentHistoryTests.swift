import Foundation
import Payments
import SQLiteLedger
import Testing

@Suite("SQLite payment history")
struct SQLitePaymentHistoryTests {
    @Test("Payments page in recording order; a replaced record moves to the end; duplicates do not")
    func pages() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("t1", booking: "b1", status: "pending"))
            _ = try await ledger.record(payment("t2", booking: "b2"))
            _ = try await ledger.record(payment("t3", booking: "b3"))
            _ = try await ledger.record(payment("t2", booking: "b2"))  // a retry
            _ = try await ledger.record(payment("t1", booking: "b1"))  // pending → success
            let all = try await ledger.payments(after: nil, limit: 10)
            #expect(all.map(\.record.event.transactionID) == ["t2", "t3", "t1"])
            #expect(all.map(\.sequence) == all.map(\.sequence).sorted())
            #expect(all.last?.record.role == .confirmation)
            let first = try await ledger.payments(after: nil, limit: 2)
            let rest = try await ledger.payments(after: first.last?.sequence, limit: 2)
            #expect((first + rest).map(\.record.event.transactionID) == ["t2", "t3", "t1"])
            #expect(try await ledger.payments(after: all.last?.sequence, limit: 2).isEmpty)
        }
    }
}
