import Foundation
import Payments
import Redis

/// Unmatched transfers on Redis: a hash `<prefix>:unmatched:<provider>:<transaction>` each, and
/// the sorted set `<prefix>:unmatched` (by recording time) to list them newest first.
extension RedisLedger {
    /// Records once; index entries older than the retention (their hashes expired) are dropped.
    /// With callbacks on (ARGV[9] the outbox prefix), adds the `transfer.unmatched` event first:
    /// if it cannot be written, neither is the transfer (Redis does not undo earlier writes).
    private static let recordUnmatchedScript = RedisLedger.addCallbackFunction + """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if ARGV[9] ~= '' then add_callback(ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13], ARGV[14], ARGV[8]) end
        redis.call('HSET', KEYS[1], 'provider', ARGV[1], 'transaction_id', ARGV[2], 'amount', ARGV[3], 'content', ARGV[4],
          'reason', ARGV[5], 'received_at', ARGV[6], 'recorded_at', ARGV[7])
        redis.call('EXPIRE', KEYS[1], ARGV[8])
        redis.call('ZADD', KEYS[2], ARGV[7], KEYS[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[7] - ARGV[8])
        redis.call('EXPIRE', KEYS[2], ARGV[8])
        return 1
        """

    private static let listUnmatchedScript = """
        local transactions = {}
        for _, key in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)) do
          local fields = redis.call('HGETALL', key)
          if #fields > 0 then table.insert(transactions, fields) end
        end
        return transactions
        """

    private var unmatchedIndex: String { "\(self.prefix):unmatched" }

    public func recordUnmatched(_ transaction: UnmatchedTransaction) async throws(LedgerError) -> Bool {
        do {
            let reply = try await self.redis.send(
                RESPCommand("EVAL", [
                    Self.recordUnmatchedScript, "2", "\(self.unmatchedIndex):\(transaction.provider):\(transaction.transactionID)", self.unmatchedIndex,
                    transaction.provider, transaction.transactionID, transaction.amount.description, transaction.content, transaction.reason,
                    String(transaction.receivedAt.timeIntervalSince1970), String(transaction.recordedAt.timeIntervalSince1970), self.retentionSeconds,
                ] + (self.writesCallbacks ? [self.prefix] + Self.arguments(for: CallbackEvent.reporting(transaction)) : [String](repeating: "", count: 6)))
            )
            return reply.integer == 1
        } catch {
            throw LedgerError(operation: "record unmatched transaction", underlying: error)
        }
    }

    public func unmatchedTransactions(limit: Int) async throws(LedgerError) -> [UnmatchedTransaction] {
        let reply: RESPValue
        do {
            reply = try await self.redis.send(RESPCommand("EVAL", [Self.listUnmatchedScript, "1", self.unmatchedIndex, String(limit)]))
        } catch {
            throw LedgerError(operation: "read unmatched transactions", underlying: error)
        }
        return (reply.array ?? []).compactMap { entry in
            let values = Self.hash(entry.array ?? [])
            guard let provider = values["provider"], let transactionID = values["transaction_id"], let amount = Self.decimal(values["amount"]),
                let content = values["content"], let reason = values["reason"],
                let receivedAt = values["received_at"].flatMap(Double.init), let recordedAt = values["recorded_at"].flatMap(Double.init)
            else { return nil }
            return UnmatchedTransaction(
                provider: provider,
                transactionID: transactionID,
                amount: amount,
                content: content,
                reason: reason,
                receivedAt: Date(timeIntervalSince1970: receivedAt),
                recordedAt: Date(timeIntervalSince1970: recordedAt)
            )
        }
    }
}
