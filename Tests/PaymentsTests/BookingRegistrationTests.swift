import Foundation
import Payments
import SQLiteLedger
import Testing

@Suite("Booking registrations, unmatched transfers and booking resolution")
struct BookingRegistrationTests {
    private let now = Date(timeIntervalSince1970: 1_743_465_738)

    private func transfer(_ id: String, _ content: String, code: String? = nil, amount: Decimal = 500_000) -> ReportedTransaction {
        ReportedTransaction(provider: "pay2s", transactionID: id, amount: amount, status: .success, reference: .transferContent(content, code: code), receivedAt: self.now)
    }

    @Test("POST /api/bookings bodies: defaults, memo upper-cased, expiry parsed")
    func parse() throws {
        let parser = BookingRegistrationParser(matcher: MemoMatcher())
        let full = try parser.parse(
            Data(#"{"bookingId":"order-7f3a","amount":500000,"currency":"vnd","memo":"bk12537","expiresAt":"2025-04-01T10:30:00.000Z"}"#.utf8),
            now: self.now
        )
        #expect(full == RegisteredBooking(bookingID: "order-7f3a", amount: 500_000, currency: "VND", memo: "BK12537", expiresAt: Date(timeIntervalSince1970: 1_743_503_400), registeredAt: self.now))
        #expect(full.transferMemo == "BK12537")
        let bare = try parser.parse(Data(#"{"bookingId":"BK12537","amount":1500000}"#.utf8), now: self.now)
        #expect(bare.currency == "VND")
        #expect(bare.memo == nil)
        #expect(bare.transferMemo == "BK12537")
    }

    @Test(
        "Invalid registrations are refused with a reason",
        arguments: [
            (#"{"amount":1}"#, "bookingId is required"),
            (#"{"bookingId":"b","amount":0}"#, "amount must be positive"),
            (#"{"bookingId":"b","amount":"500000"}"#, "amount must be a number, not a string"),
            (#"{"bookingId":"b","amount":1,"currency":"dong"}"#, "currency must be a three-letter code such as VND"),
            (#"{"bookingId":"b","amount":1,"memo":"ORDER123"}"#, "memo must be BK followed by 3–20 letters or digits, e.g. BK12537"),
            (#"{"bookingId":"b","amount":1,"memo":"BK 12537"}"#, "memo must be BK followed by 3–20 letters or digits, e.g. BK12537"),
            (#"{"bookingId":"b","amount":1,"memo":"Zjg2ZmFkNWItZDljYi00NjlmLWExNjUtNzA4Njc3Mjg5NTBl"}"#, "memo must be BK followed by 3–20 letters or digits, e.g. BK12537"),
            (#"{"bookingId":"b","amount":1,"expiresAt":"tomorrow"}"#, "expiresAt must be an ISO-8601 time such as 2025-04-01T10:30:00Z"),
            (#"{"bookingId":"b","amount":1,"expiresAt":"2020-01-01T00:00:00Z"}"#, "expiresAt is in the past"),
        ]
    )
    func invalid(body: String, message: String) {
        #expect(throws: InputValidationError(message)) {
            try BookingRegistrationParser(matcher: MemoMatcher()).parse(Data(body.utf8), now: self.now)
        }
    }

    @Test("Registrations: replaced by the same booking, a memo belongs to one booking, found by id and by memo")
    func register() async throws {
        try await withLedger { ledger, path in
            let first = RegisteredBooking(bookingID: "order-1", amount: 500_000, memo: "BK111", registeredAt: self.now)
            #expect(try await ledger.register(first) == .registered(first))
            #expect(try await ledger.register(RegisteredBooking(bookingID: "order-2", amount: 1, memo: "bk111")) == .memoTaken(byBooking: "order-1"))
            let changed = RegisteredBooking(bookingID: "order-1", amount: 600_000, memo: "BK222", registeredAt: self.now)
            #expect(try await ledger.register(changed) == .registered(changed))
            #expect(try await ledger.registeredBooking(memo: "BK111") == nil)
            #expect(try await ledger.registeredBooking(memo: "bk222")?.bookingID == "order-1")
            let reopened = try SQLiteLedger(path: path, logger: quietLogger)
            #expect(try await reopened.registeredBooking(id: "order-1") == changed)
            #expect(try await reopened.registeredBooking(id: "order-2") == nil)
        }
    }

    @Test("Unmatched transfers: recorded once, listed newest first, pruned with the payments")
    func unmatched() async throws {
        try await withLedger { ledger, _ in
            let old = UnmatchedTransaction(provider: "pay2s", transactionID: "1", amount: 5, content: "chuyen tien", reason: "no code", receivedAt: self.now, recordedAt: self.now)
            let recent = UnmatchedTransaction(provider: "sepay", transactionID: "1", amount: 7, content: "BK 12", reason: "no code", receivedAt: self.now, recordedAt: self.now.addingTimeInterval(10))
            #expect(try await ledger.recordUnmatched(old))
            #expect(try await ledger.recordUnmatched(recent))
            #expect(try await ledger.recordUnmatched(old) == false)
            #expect(try await ledger.unmatchedTransactions(limit: 10) == [recent, old])
            #expect(try await ledger.unmatchedTransactions(limit: 1) == [recent])
            _ = try await ledger.prune(recordedBefore: self.now.addingTimeInterval(5))
            #expect(try await ledger.unmatchedTransactions(limit: 10) == [recent])
        }
    }

    @Test("Resolution: a registered memo names its booking, else the code is the booking, else unmatched")
    func resolve() async throws {
        try await withLedger { ledger, _ in
            let resolver = BookingResolver()
            _ = try await ledger.register(RegisteredBooking(bookingID: "order-7f3a", amount: 1, memo: "BK555"))
            #expect(try await resolver.resolve(self.transfer("1", "bk555 GD 789604-040125 00:05:38"), ledger: ledger) == .payment(payment("1", booking: "order-7f3a", provider: "pay2s", receivedAt: self.now)))
            #expect(try await resolver.resolve(self.transfer("2", "NGUYEN VAN A chuyen  BK 12537 "), ledger: ledger) == .payment(payment("2", booking: "BK12537", provider: "pay2s", receivedAt: self.now)))
            #expect(try await resolver.resolve(self.transfer("3", "no code here", code: "bk555"), ledger: ledger) == .payment(payment("3", booking: "order-7f3a", provider: "pay2s", receivedAt: self.now)))
            guard case .unmatched(let unmatched) = try await resolver.resolve(self.transfer("4", "SHOPVPS12537 GD 789604"), ledger: ledger) else {
                Issue.record("expected unmatched")
                return
            }
            #expect(unmatched.content == "SHOPVPS12537 GD 789604")
            #expect(unmatched.reason == "no booking code (BK…) in the transfer content")
        }
    }
}
