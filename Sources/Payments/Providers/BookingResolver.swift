import Foundation

/// Ties a reported transaction to its booking: the booking the provider named, else the memo
/// code in the transfer content (or the provider's extracted code), mapped through the
/// registered bookings' memos. A transfer that names no booking is unmatched.
public struct BookingResolver: Sendable {
    /// What a transaction turned out to be.
    public enum Resolution: Sendable, Hashable {
        case payment(PaymentEvent)
        case unmatched(UnmatchedTransaction)
    }

    /// A resolution and, when the booking was found through a registered memo, its
    /// registration (so whoever checks the amount need not read it again).
    public struct Match: Sendable {
        public let resolution: Resolution
        public let registration: RegisteredBooking?
    }

    public let matcher: MemoMatcher

    public init(matcher: MemoMatcher = MemoMatcher()) {
        self.matcher = matcher
    }

    public func resolve(_ transaction: ReportedTransaction, ledger: any BookingRegistry) async throws(LedgerError) -> Resolution {
        try await self.match(transaction, ledger: ledger).resolution
    }

    public func match(_ transaction: ReportedTransaction, ledger: any BookingRegistry) async throws(LedgerError) -> Match {
        let memo: String
        switch transaction.reference {
        case .booking(let bookingID):
            return Match(resolution: .payment(transaction.event(forBooking: bookingID)), registration: nil)
        case .transferContent(let content, let code):
            guard let found = code?.uppercased() ?? self.matcher.bookingID(in: content) else {
                return Match(
                    resolution: .unmatched(Self.unmatched(transaction, reason: "no booking code (\(self.matcher.prefix)…) in the transfer content")),
                    registration: nil
                )
            }
            memo = found
        }
        if let registered = try await ledger.registeredBooking(memo: memo) {
            return Match(resolution: .payment(transaction.event(forBooking: registered.bookingID)), registration: registered)
        }
        if let problem = BookingID.problem(with: memo) {
            return Match(resolution: .unmatched(Self.unmatched(transaction, reason: "payment code '\(memo)' is not a booking id: \(problem)")), registration: nil)
        }
        return Match(resolution: .payment(transaction.event(forBooking: memo)), registration: nil)
    }

    private static func unmatched(_ transaction: ReportedTransaction, reason: String) -> UnmatchedTransaction {
        UnmatchedTransaction(
            provider: transaction.provider,
            transactionID: transaction.transactionID,
            amount: transaction.amount,
            content: transaction.content,
            reason: reason,
            receivedAt: transaction.receivedAt
        )
    }
}
