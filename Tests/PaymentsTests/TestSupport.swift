import Foundation
import Logging
import Payments
import SQLiteLedger
import Testing

/// A logger that discards everything, so expected failures do not clutter the test output.
let quietLogger = Logger(label: "paynotify.tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `body` with a fresh, empty directory that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("paynotify-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Runs `body` with a ledger on a new SQLite file in a fresh temporary directory; `body` also
/// gets the file's path, to reopen it.
func withLedger<T>(_ body: (SQLiteLedger, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("ledger.sqlite").path
        let ledger = try SQLiteLedger(path: path, logger: quietLogger)
        return try await body(ledger, path)
    }
}

func payment(
    _ transactionID: String,
    booking: String = "booking-1",
    amount: Decimal = 500_000,
    status: String = "success",
    provider: String = "generic",
    receivedAt: Date = Date()
) -> PaymentEvent {
    PaymentEvent(
        provider: provider,
        transactionID: transactionID,
        bookingID: booking,
        amount: amount,
        status: PaymentStatus(rawValue: status),
        receivedAt: receivedAt
    )
}

func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

/// Dates go through SQLite as seconds since 1970 (a Double), which may move them by a few
/// nanoseconds; everything else about a stored event must be exactly as recorded.
func expectSameEvent(_ stored: PaymentEvent, _ original: PaymentEvent, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(stored.provider == original.provider, sourceLocation: sourceLocation)
    #expect(stored.transactionID == original.transactionID, sourceLocation: sourceLocation)
    #expect(stored.bookingID == original.bookingID, sourceLocation: sourceLocation)
    #expect(stored.amount == original.amount, sourceLocation: sourceLocation)
    #expect(stored.status == original.status, sourceLocation: sourceLocation)
    #expect(abs(stored.receivedAt.timeIntervalSince(original.receivedAt)) < 0.001, sourceLocation: sourceLocation)
}

func expectSameRecord(_ stored: PaymentRecord, _ original: PaymentRecord, sourceLocation: SourceLocation = #_sourceLocation) {
    expectSameEvent(stored.event, original.event, sourceLocation: sourceLocation)
    #expect(stored.role == original.role, sourceLocation: sourceLocation)
    #expect(abs(stored.recordedAt.timeIntervalSince(original.recordedAt)) < 0.001, sourceLocation: sourceLocation)
}
