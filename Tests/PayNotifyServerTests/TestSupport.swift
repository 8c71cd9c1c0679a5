import Foundation
import Logging
import Payments
import SQLiteLedger

@testable import PayNotifyServer

func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

/// A logger that discards everything, so expected failures do not clutter the test output.
let quietLogger = Logger(label: "paynotify.tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// A successful payment reported for `booking`.
func paymentEvent(_ transactionID: String, booking: String, amount: Decimal = 500_000) -> PaymentEvent {
    PaymentEvent(provider: "generic", transactionID: transactionID, bookingID: booking, amount: amount, status: .success)
}

/// Runs `body` with a ledger on a new SQLite file, removed afterwards.
func withSQLiteLedger<T>(_ body: (SQLiteLedger) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paynotify-server-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(try SQLiteLedger(path: directory.appendingPathComponent("ledger.sqlite").path, logger: quietLogger))
}

/// Runs `body` with a processor on a fresh SQLite ledger that announces to a recording announcer.
func withProcessor<T>(_ body: (PaymentProcessor, RecordingAnnouncer, SQLiteLedger) async throws -> T) async throws -> T {
    try await withSQLiteLedger { ledger in
        let announcer = RecordingAnnouncer()
        return try await body(PaymentProcessor(testing: ledger, announcer: announcer), announcer, ledger)
    }
}

extension PaymentProcessor {
    /// A processor with no poller, dashboard or callbacks beside it.
    init(testing ledger: SQLiteLedger, announcer: any PaymentAnnouncer) {
        self.init(ledger: ledger, announcer: announcer, watchList: BookingWatchList(), resolver: BookingResolver(), metrics: PayNotifyMetrics(), logger: quietLogger)
    }
}
