import Foundation
import Payments
import Testing

@testable import Redis
@testable import RedisLedger

@Suite("Redis ledger: registered bookings and unmatched transfers", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisLedgerBookingsTests {
    private let now = Date(timeIntervalSince1970: 1_743_465_738)

    @Test("Registrations are shared by nodes; a memo belongs to one booking; a changed memo frees the old one")
    func registrations() async throws {
        try await withRedisLedgerNodes { nodes throws in
            let (nodeA, nodeB) = (nodes[0], nodes[1])

            let first = RegisteredBooking(bookingID: "order-1", amount: Decimal(string: "500000.5")!, memo: "BK111", expiresAt: self.now, registeredAt: self.now)
            #expect(try await nodeA.register(first) == .registered(first))
            #expect(try await nodeB.registeredBooking(id: "order-1") == first)
            #expect(try await nodeB.registeredBooking(memo: "bk111") == first)
            #expect(try await nodeB.register(RegisteredBooking(bookingID: "order-2", amount: 1, memo: "BK111")) == .memoTaken(byBooking: "order-1"))

            let changed = RegisteredBooking(bookingID: "order-1", amount: 600_000, memo: "BK222", registeredAt: self.now)
            #expect(try await nodeB.register(changed) == .registered(changed))
            #expect(try await nodeA.registeredBooking(memo: "BK111") == nil)
            #expect(try await nodeA.registeredBooking(id: "order-1") == changed)
            let memoless = RegisteredBooking(bookingID: "order-2", amount: 1, registeredAt: self.now)
            #expect(try await nodeA.register(memoless) == .registered(memoless))
            #expect(try await nodeB.registeredBooking(id: "order-2") == memoless)
            #expect(try await nodeB.registeredBooking(id: "order-3") == nil)
        }
    }

    @Test("Unmatched transfers are recorded once across nodes and listed newest first")
    func unmatched() async throws {
        try await withRedisLedgerNodes { nodes throws in
            let (nodeA, nodeB) = (nodes[0], nodes[1])
            let recordedAt = Date()
            let old = UnmatchedTransaction(provider: "pay2s", transactionID: "1", amount: 5, content: "chuyen tien", reason: "no code", receivedAt: recordedAt, recordedAt: recordedAt)
            let recent = UnmatchedTransaction(provider: "casso", transactionID: "1", amount: 7, content: "Thanh toán", reason: "no code", receivedAt: recordedAt, recordedAt: recordedAt.addingTimeInterval(1))
            #expect(try await nodeA.recordUnmatched(old))
            #expect(try await nodeB.recordUnmatched(old) == false)
            #expect(try await nodeB.recordUnmatched(recent))
            let listed = try await nodeA.unmatchedTransactions(limit: 10)
            #expect(listed.map(\.provider) == ["casso", "pay2s"])
            #expect(listed.first?.content == "Thanh toán")
            #expect(try await nodeA.unmatchedTransactions(limit: 1).count == 1)
        }
    }
}
