import Foundation

/// Keeping a ledger healthy: pruning what outlived the retention period, and the readiness check.
public protocol LedgerMaintenance: Sendable {
    /// Deletes payments, unmatched transfers and booking registrations recorded before `date`,
    /// and forgotten webhook message ids; returns how many payments.
    func prune(recordedBefore date: Date) async throws(LedgerError) -> Int
    /// Checks the ledger can be written, for readiness reporting.
    func checkWritable() async throws(LedgerError)
}
