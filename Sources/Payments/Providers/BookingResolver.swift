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

    public let matcher: MemoMatcher

    public init(matcher: MemoMatcher = MemoMatcher()) {
        self.matcher = matcher
    }

    public func resolve(_ transaction: ReportedTransaction, ledger: any Ledger) async throws(LedgerError) -> Resolution {
        let memo: String
        switch transaction.reference {
        case .booking(let bookingID):
            return .payment(transaction.event(forBooking: bookingID))
        case .transferContent(let content, let code):
            guard let found = code?.uppercased() ?? self.matcher.bookingID(in: content) else {
                return .unmatched(Self.unmatched(transaction, reason: "no booking code (\(self.matcher.prefix)…) in the transfer content"))
            }
            memo = found
        }
        if let registered = try await ledger.registeredBooking(memo: memo) {
            return .payment(transaction.event(forBooking: registered.bookingID))
        }
        if let problem = BookingID.problem(with: memo) {
            return .unmatched(Self.unmatched(transaction, reason: "payment code '\(memo)' is not a booking id: \(problem)"))
        }
        return .payment(transaction.event(forBooking: memo))
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
