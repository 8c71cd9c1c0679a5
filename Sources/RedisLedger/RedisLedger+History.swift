import Payments
import Redis

/// The payment history on Redis: the sorted set `<prefix>:payments` of payment keys by a
/// sequence the record script takes from `<prefix>:payments:sequence` (re-added with a new one
/// when a record is replaced). Entries whose payment expired are dropped as they are met.
extension RedisLedger: PaymentHistory {
    private static let historyScript = """
        local listed = {}
        local entries = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
        for index = 1, #entries, 2 do
          local fields = redis.call('HGETALL', entries[index])
          if #fields == 0 then redis.call('ZREM', KEYS[1], entries[index]) else table.insert(listed, {entries[index + 1], fields}) end
        end
        return listed
        """

    public func payments(after: Int64?, limit: Int) async throws(LedgerError) -> [ListedPayment] {
        do {
            let reply = try await self.redis.send(RESPCommand("EVAL", [Self.historyScript, "1", "\(self.prefix):payments", String(after ?? 0), String(limit)]))
            return (reply.array ?? []).compactMap { entry in
                guard let parts = entry.array, parts.count == 2, let sequence = parts[0].string.flatMap(Int64.init),
                    let record = parts[1].array.flatMap(Self.record(from:))
                else { return nil }
                return ListedPayment(sequence: sequence, record: record)
            }
        } catch {
            throw LedgerError(operation: "read payments", underlying: error)
        }
    }
}
