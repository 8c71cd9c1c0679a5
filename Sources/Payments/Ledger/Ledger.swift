import ServiceLifecycle

/// The durable record of payments: the source of truth that makes notifications idempotent and
/// lets a page that subscribes late (or after a reconnect, or after a restart) see its payment.
///
/// A store implements every part; its callers each take the narrow part they use
/// (`PaymentLedger`, `BookingRegistry`, `UnmatchedTransfers`, `WebhookReplayMemory`,
/// `LedgerMaintenance`), so a test or a new store sees at a glance what a caller needs. Only
/// what builds the store and hands its parts out needs the whole.
///
/// A `Service`, so a ledger holding connections opens and closes with the application.
public protocol Ledger: PaymentLedger, BookingRegistry, UnmatchedTransfers, WebhookReplayMemory, LedgerMaintenance, Service {}

extension Ledger {
    /// A ledger with nothing to keep open just waits for shutdown.
    public func run() async throws {
        try await gracefulShutdown()
    }
}
