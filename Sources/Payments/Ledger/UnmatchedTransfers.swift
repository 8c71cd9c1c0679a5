/// Transfers that name no booking, kept for operators to reconcile by hand: written by payment
/// processing, listed by the merchant API and the dashboard.
public protocol UnmatchedTransfers: Sendable {
    /// Keeps a transfer that names no booking; idempotent on (provider, transactionID). Returns
    /// false when it was already recorded (a provider retry).
    func recordUnmatched(_ transaction: UnmatchedTransaction) async throws(LedgerError) -> Bool
    /// Unmatched transfers, newest first.
    func unmatchedTransactions(limit: Int) async throws(LedgerError) -> [UnmatchedTransaction]
}
