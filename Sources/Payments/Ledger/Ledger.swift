import Foundation
import ServiceLifecycle

/// The durable record of payments: the source of truth that makes notifications idempotent and
/// lets a page that subscribes late (or after a reconnect, or after a restart) see its payment.
///
/// A `Service`, so a ledger holding connections opens and closes with the application.
public protocol Ledger: Service {
    /// Stores a reported payment unless its (provider, transactionID) is already known with the
    /// same status or as a success (see `PaymentRecord.isSuperseded(by:)`); a transaction that
    /// moved on from a non-success status replaces its record. A success is first checked
    /// against its booking's registration (`PaymentEvent.checked(against:)`): `registration`
    /// when the caller already holds it, else the one stored for the booking, read in the same
    /// transaction, so that a webhook costs one ledger call. Returns only once the record is
    /// durable; throws `LedgerError` when it could not be stored.
    func record(_ reported: PaymentEvent, registration: RegisteredBooking?) async throws(LedgerError) -> RecordedPayment
    func status(ofBooking bookingID: String) async throws(LedgerError) -> BookingStatus
    /// Deletes payments, unmatched transfers and booking registrations recorded before `date`,
    /// and forgotten webhook message ids; returns how many payments.
    func prune(recordedBefore date: Date) async throws(LedgerError) -> Int
    /// Notes that a confirmation's notification went out, so a retry does not announce it again.
    /// May return before the note is stored: losing it costs one repeated announcement, which
    /// pages tolerate, and the webhook's answer must not wait for it.
    func markAnnounced(_ record: PaymentRecord) async throws(LedgerError)
    /// Whether a webhook delivery with this message id was already processed (a replay, or the
    /// provider retrying a delivery whose answer it did not get).
    func hasProcessedWebhookMessage(_ id: String) async throws(LedgerError) -> Bool
    /// Remembers a processed webhook message id until `expiry`, past which its signature's
    /// timestamp is refused anyway.
    func rememberWebhookMessage(_ id: String, until expiry: Date) async throws(LedgerError)
    /// Checks the ledger can be written, for readiness reporting.
    func checkWritable() async throws(LedgerError)
    /// Stores what a booking should receive, replacing its earlier registration; refused when
    /// another booking already uses the memo.
    func register(_ booking: RegisteredBooking) async throws(LedgerError) -> RegistrationOutcome
    func registeredBooking(id bookingID: String) async throws(LedgerError) -> RegisteredBooking?
    /// The booking registered with this transfer memo (upper-cased), if any.
    func registeredBooking(memo: String) async throws(LedgerError) -> RegisteredBooking?
    /// Keeps a transfer that names no booking; idempotent on (provider, transactionID). Returns
    /// false when it was already recorded (a provider retry).
    func recordUnmatched(_ transaction: UnmatchedTransaction) async throws(LedgerError) -> Bool
    /// Unmatched transfers, newest first.
    func unmatchedTransactions(limit: Int) async throws(LedgerError) -> [UnmatchedTransaction]
}

extension Ledger {
    /// Records a payment, checked against its booking's stored registration.
    public func record(_ event: PaymentEvent) async throws(LedgerError) -> RecordOutcome {
        try await self.record(event, registration: nil).outcome
    }

    /// A ledger with nothing to keep open just waits for shutdown.
    public func run() async throws {
        try await gracefulShutdown()
    }
}

/// What recording an event did.
public enum RecordOutcome: Sendable, Hashable {
    /// First time this transaction was seen, or it moved on from a non-success status.
    case recorded(PaymentRecord)
    /// The transaction was already recorded so (a provider retry); the earlier record.
    case duplicate(PaymentRecord)

    public var record: PaymentRecord {
        switch self {
        case .recorded(let record), .duplicate(let record): record
        }
    }

    /// Whether this event is the one that confirms its booking, and so must be announced.
    public var confirmsBooking: Bool {
        if case .recorded(let record) = self { return record.role == .confirmation }
        return false
    }
}

/// A ledger failure. The caller cannot know whether it is lasting, so webhooks answer 503 and
/// let the provider retry.
public struct LedgerError: Error, CustomStringConvertible {
    public let operation: String
    public let underlying: any Error

    public init(operation: String, underlying: any Error) {
        self.operation = operation
        self.underlying = underlying
    }

    public var description: String { "ledger \(self.operation) failed: \(self.underlying)" }
}
