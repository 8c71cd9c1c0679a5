import Hummingbird
import Logging
import Payments

/// `?limit=` unmatched transfers, newest first, as `UnmatchedAnswer`: the one way, for
/// `GET /api/unmatched` and the dashboard's panel.
struct UnmatchedListing: Sendable {
    let ledger: any UnmatchedTransfers
    let logger: Logger

    func answer(_ request: Request) async -> Response {
        let limit: Int
        switch PageRequest.limit(in: request) {
        case .success(let value): limit = value
        case .failure(let refusal): return refusal.response
        }
        do {
            let transactions = try await self.ledger.unmatchedTransactions(limit: limit)
            return JSONResponse.make(UnmatchedAnswer(transactions: transactions.map(UnmatchedAnswer.Transaction.init)), status: .ok)
        } catch {
            self.logger.error("Unmatched transactions not read", metadata: ["error": "\(error)"])
            return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
        }
    }
}
