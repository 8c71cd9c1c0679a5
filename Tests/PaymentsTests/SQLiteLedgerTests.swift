import Foundation
import Payments
import SQLiteLedger
import Testing

@Suite("SQLite ledger")
struct SQLiteLedgerTests {
    @Test("The first success for a booking is recorded as its confirmation")
    func firstSuccessConfirms() async throws {
        try await withLedger { ledger, _ in
            let event = payment("txn-1")
            let outcome = try await ledger.record(event)
            guard case .recorded(let record) = outcome else {
                Issue.record("expected .recorded, got \(outcome)")
                return
            }
            #expect(record.role == .confirmation)
            #expect(record.event == event)
            #expect(outcome.confirmsBooking)
        }
    }

    @Test("The same provider and transaction again is a duplicate returning the original record")
    func duplicateReturnsOriginal() async throws {
        try await withLedger { ledger, _ in
            let original = payment("txn-1", amount: 500_000)
            let first = try await ledger.record(original).record
            var retry = original
            retry.amount = 1
            retry.receivedAt = Date().addingTimeInterval(60)
            let outcome = try await ledger.record(retry)
            guard case .duplicate(let record) = outcome else {
                Issue.record("expected .duplicate, got \(outcome)")
                return
            }
            expectSameRecord(record, first)
            #expect(record.event.amount == 500_000)
            #expect(!outcome.confirmsBooking)
            let status = try await ledger.status(ofBooking: original.bookingID)
            #expect(status.payments.count == 1)
        }
    }

    @Test("A non-success retried with the same transaction is a duplicate too")
    func duplicateNonSuccess() async throws {
        try await withLedger { ledger, _ in
            let failed = payment("txn-1", status: "failed")
            _ = try await ledger.record(failed)
            let outcome = try await ledger.record(failed)
            guard case .duplicate(let record) = outcome else {
                Issue.record("expected .duplicate, got \(outcome)")
                return
            }
            #expect(record.role == .nonSuccess)
            #expect(!outcome.confirmsBooking)
        }
    }

    @Test("The same transaction id under another provider is a different payment")
    func sameTransactionOtherProvider() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("txn-1", booking: "booking-1", provider: "generic"))
            let other = payment("txn-1", booking: "booking-2", provider: "sepay")
            let outcome = try await ledger.record(other)
            guard case .recorded(let record) = outcome else {
                Issue.record("expected .recorded, got \(outcome)")
                return
            }
            #expect(record.event == other)
            #expect(record.role == .confirmation)
            #expect(outcome.confirmsBooking)
            #expect(try await ledger.status(ofBooking: "booking-2").confirmation?.event.provider == "sepay")
        }
    }

    @Test("A second success for a paid booking is an additional payment, never a confirmation")
    func secondSuccessIsAdditional() async throws {
        try await withLedger { ledger, _ in
            let first = payment("txn-1")
            let second = payment("txn-2")
            _ = try await ledger.record(first)
            let outcome = try await ledger.record(second)
            guard case .recorded(let record) = outcome else {
                Issue.record("expected .recorded, got \(outcome)")
                return
            }
            #expect(record.role == .additionalPayment)
            #expect(!outcome.confirmsBooking)

            let status = try await ledger.status(ofBooking: first.bookingID)
            #expect(status.isPaid)
            #expect(status.confirmation?.event.transactionID == "txn-1")
            #expect(status.additionalPayments.map(\.event.transactionID) == ["txn-2"])
            #expect(status.summary == "paid")
        }
    }

    @Test("Any status other than success is recorded as non-success and confirms nothing", arguments: ["failed", "pending", "expired", "refunded"])
    func nonSuccess(status: String) async throws {
        try await withLedger { ledger, _ in
            let event = payment("txn-1", status: status)
            let outcome = try await ledger.record(event)
            guard case .recorded(let record) = outcome else {
                Issue.record("expected .recorded, got \(outcome)")
                return
            }
            #expect(record.role == .nonSuccess)
            #expect(!outcome.confirmsBooking)

            let booking = try await ledger.status(ofBooking: event.bookingID)
            #expect(!booking.isPaid)
            #expect(booking.confirmation == nil)
            #expect(booking.summary == status)
        }
    }

    @Test("A success after a failure confirms the booking")
    func successAfterFailure() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("txn-1", status: "failed"))
            let outcome = try await ledger.record(payment("txn-2"))
            #expect(outcome.confirmsBooking)
            #expect(outcome.record.role == .confirmation)
            let status = try await ledger.status(ofBooking: "booking-1")
            #expect(status.summary == "paid")
            #expect(status.confirmation?.event.transactionID == "txn-2")
        }
    }

    @Test("A booking's status lists its payments oldest first, and only its own")
    func statusListsPaymentsInOrder() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("t1", status: "failed"))
            _ = try await ledger.record(payment("other", booking: "booking-2"))
            _ = try await ledger.record(payment("t2"))
            _ = try await ledger.record(payment("t3"))
            _ = try await ledger.record(payment("t4", status: "failed"))

            let status = try await ledger.status(ofBooking: "booking-1")
            #expect(status.bookingID == "booking-1")
            #expect(status.payments.map(\.event.transactionID) == ["t1", "t2", "t3", "t4"])
            #expect(status.payments.map(\.role) == [.nonSuccess, .confirmation, .additionalPayment, .nonSuccess])
            #expect(status.payments.map(\.recordedAt) == status.payments.map(\.recordedAt).sorted())
            #expect(status.isPaid)
            #expect(status.confirmation?.event.transactionID == "t2")
            #expect(status.additionalPayments.map(\.event.transactionID) == ["t3"])
            #expect(status.summary == "paid", "a later failure does not unpay a booking")
        }
    }

    @Test("An unpaid booking's summary is the latest status a provider reported")
    func summaryIsLatestStatus() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("t1", status: "expired"))
            _ = try await ledger.record(payment("t2", status: "failed"))
            let status = try await ledger.status(ofBooking: "booking-1")
            #expect(!status.isPaid)
            #expect(status.additionalPayments.isEmpty)
            #expect(status.summary == "failed")
        }
    }

    @Test("A booking the ledger has never seen is pending")
    func unknownBookingIsPending() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("t1", booking: "someone-else"))
            let status = try await ledger.status(ofBooking: "never-seen")
            #expect(status.bookingID == "never-seen")
            #expect(status.payments.isEmpty)
            #expect(!status.isPaid)
            #expect(status.confirmation == nil)
            #expect(status.summary == "pending")
        }
    }

    @Test(
        "Amounts are stored and read back exactly",
        arguments: ["0.1", "0.01", "10.5", "500000", "123456789.123456789", "99999999999999999999.99", "0"]
    )
    func amountsAreExact(amount: String) async throws {
        try await withLedger { ledger, path in
            let event = payment("txn-1", amount: decimal(amount))
            _ = try await ledger.record(event)
            #expect(try await ledger.status(ofBooking: event.bookingID).confirmation?.event.amount == decimal(amount))
            #expect(try await ledger.record(event).record.event.amount == decimal(amount))

            let reopened = try SQLiteLedger(path: path, logger: quietLogger)
            #expect(try await reopened.status(ofBooking: event.bookingID).confirmation?.event.amount == decimal(amount))
        }
    }

    @Test("Payments survive closing and reopening the file")
    func survivesReopening() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("ledger.sqlite").path
            let confirmation = payment("txn-1", amount: decimal("10.5"))
            let failure = payment("txn-0", booking: "booking-2", status: "failed")
            var original: PaymentRecord?
            do {
                let ledger = try SQLiteLedger(path: path, logger: quietLogger)
                original = try await ledger.record(confirmation).record
                _ = try await ledger.record(failure)
            }

            let reopened = try SQLiteLedger(path: path, logger: quietLogger)
            let status = try await reopened.status(ofBooking: "booking-1")
            #expect(status.payments.count == 1)
            let stored = try #require(status.confirmation)
            expectSameRecord(stored, try #require(original))
            #expect(try await reopened.status(ofBooking: "booking-2").summary == "failed")

            // Idempotency and roles carry over too.
            let retry = try await reopened.record(confirmation)
            guard case .duplicate = retry else {
                Issue.record("expected .duplicate after reopening, got \(retry)")
                return
            }
            #expect(try await reopened.record(payment("txn-2")).record.role == .additionalPayment)
        }
    }

    @Test("Concurrent deliveries of the same webhook record it exactly once")
    func concurrentDuplicates() async throws {
        try await withLedger { ledger, _ in
            let event = payment("txn-race")
            let outcomes = try await withThrowingTaskGroup(of: RecordOutcome.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await ledger.record(event) }
                }
                return try await group.reduce(into: [RecordOutcome]()) { $0.append($1) }
            }
            let recorded = outcomes.filter { if case .recorded = $0 { true } else { false } }
            let duplicates = outcomes.filter { if case .duplicate = $0 { true } else { false } }
            #expect(recorded.count == 1)
            #expect(duplicates.count == 49)
            #expect(outcomes.filter(\.confirmsBooking).count == 1)
            let status = try await ledger.status(ofBooking: event.bookingID)
            #expect(status.payments.count == 1)
            #expect(status.additionalPayments.isEmpty)
        }
    }

    @Test("Concurrent successes with different transactions confirm the booking exactly once")
    func concurrentDifferentTransactions() async throws {
        try await withLedger { ledger, _ in
            let outcomes = try await withThrowingTaskGroup(of: RecordOutcome.self) { group in
                for index in 0..<20 {
                    group.addTask { try await ledger.record(payment("txn-\(index)")) }
                }
                return try await group.reduce(into: [RecordOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.filter(\.confirmsBooking).count == 1)
            let status = try await ledger.status(ofBooking: "booking-1")
            #expect(status.payments.count == 20)
            #expect(status.additionalPayments.count == 19)
        }
    }

    @Test("Pruning removes payments recorded before the cutoff and returns how many")
    func prune() async throws {
        try await withLedger { ledger, _ in
            _ = try await ledger.record(payment("old-1"))
            _ = try await ledger.record(payment("old-2", booking: "booking-2", status: "failed"))
            try await Task.sleep(for: .milliseconds(10))
            let cutoff = Date()
            try await Task.sleep(for: .milliseconds(10))
            _ = try await ledger.record(payment("new-1", booking: "booking-3"))

            #expect(try await ledger.prune(recordedBefore: Date.distantPast) == 0)
            #expect(try await ledger.prune(recordedBefore: cutoff) == 2)
            #expect(try await ledger.prune(recordedBefore: cutoff) == 0)

            #expect(try await ledger.status(ofBooking: "booking-1").payments.isEmpty)
            #expect(try await ledger.status(ofBooking: "booking-2").payments.isEmpty)
            #expect(try await ledger.status(ofBooking: "booking-3").isPaid)
        }
    }

    @Test("A writable ledger passes the write check")
    func checkWritable() async throws {
        try await withLedger { ledger, _ in
            try await ledger.checkWritable()
            try await ledger.checkWritable()
        }
    }

    @Test("Opening a file inside a directory that does not exist throws a LedgerError")
    func openFailure() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing/deeper/ledger.sqlite").path
            let error = #expect(throws: LedgerError.self) {
                _ = try SQLiteLedger(path: path, logger: quietLogger)
            }
            #expect(error?.operation.hasPrefix("open") == true)
            #expect(error?.description.contains(path) == true)
        }
    }
}
