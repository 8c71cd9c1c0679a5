/// Every recorded payment in recording order, for the merchant's reconciliation
/// (`GET /api/payments`). A payment whose record was replaced (a pending transaction that
/// succeeded) moves to the end, so a merchant reading on from its last cursor sees the change.
public protocol PaymentHistory: Sendable {
    /// Up to `limit` payments recorded after the cursor `after` (nil: from the start).
    func payments(after: Int64?, limit: Int) async throws(LedgerError) -> [ListedPayment]
}

/// A payment and its place in the history: the cursor to read on from.
public struct ListedPayment: Sendable, Hashable {
    public let sequence: Int64
    public let record: PaymentRecord

    public init(sequence: Int64, record: PaymentRecord) {
        self.sequence = sequence
        self.record = record
    }
}
