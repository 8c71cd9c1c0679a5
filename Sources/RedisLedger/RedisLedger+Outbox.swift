import Foundation
import Payments
import Redis

/// The callback outbox on Redis: a hash `<prefix>:callback:<id>` per event (its body and delivery
/// state), the sorted set `<prefix>:callbacks:due` of pending events by due time (claiming an
/// event moves its due time to the end of a lease, so exactly one node attempts it: the
/// cluster-wide lease), `<prefix>:callbacks` by sequence (the events API's cursor),
/// `<prefix>:callbacks:undelivered` by sequence (pending and failed events, for operators) and a
/// list `<prefix>:callback:<id>:attempts`. Events are added only by the scripts that record their
/// payment or unmatched transfer, atomically with it; every key expires with the retention.
extension RedisLedger: CallbackOutbox {
    /// `add_callback(prefix, id, type, booking, created_at, body, retention)`, for the scripts
    /// that record; a second add of the same id is a no-op. `trim_index(index, prefix)` drops the
    /// oldest entries of a sorted index whose hashes expired, two at a time, so indexes do not
    /// outgrow the retention.
    static let addCallbackFunction = """
        local function trim_index(index, prefix)
          for _, member in ipairs(redis.call('ZRANGE', index, 0, 1)) do
            if redis.call('EXISTS', prefix .. member) == 0 then redis.call('ZREM', index, member) end
          end
        end

        local function add_callback(prefix, id, kind, booking, created, body, retention)
          local key = prefix .. ':callback:' .. id
          if redis.call('EXISTS', key) == 1 then return end
          local sequence = redis.call('INCR', prefix .. ':callbacks:sequence')
          redis.call('HSET', key, 'id', id, 'type', kind, 'booking_id', booking, 'created_at', created, 'body', body, 'state', 'pending',
            'attempts', 0, 'scheduled_attempts', 0, 'refusals', 0, 'next_attempt_at', created, 'sequence', sequence)
          redis.call('EXPIRE', key, retention)
          redis.call('ZADD', prefix .. ':callbacks:due', created, id)
          redis.call('ZADD', prefix .. ':callbacks', sequence, id)
          redis.call('ZADD', prefix .. ':callbacks:undelivered', sequence, id)
          trim_index(prefix .. ':callbacks', prefix .. ':callback:')
        end

        """

    /// The record script's callback arguments: the outbox prefix (empty: callbacks off), then the
    /// events a confirmation, an additional payment and any other status would call for (five
    /// arguments each, empty when none): which applies is known only inside the script.
    func callbackArguments(for event: PaymentEvent, recordedAt: Date, registration: RegisteredBooking?) -> [String] {
        guard self.writesCallbacks else { return [String](repeating: "", count: 16) }
        let roles: [PaymentRecord.Role] = [.confirmation, .additionalPayment, .nonSuccess]
        return [self.prefix] + roles.flatMap { role in
            let record = PaymentRecord(event: event, role: role, recordedAt: recordedAt)
            return CallbackEvent.reporting(record, registration: registration).map(Self.arguments(for:)) ?? ["", "", "", "", ""]
        }
    }

    /// An event as `add_callback` takes it (id, type, booking, created_at, body).
    static func arguments(for event: CallbackEvent) -> [String] {
        [event.id, event.kind.rawValue, event.bookingID ?? "", String(event.createdAt.timeIntervalSince1970), event.body]
    }

    private var dueIndex: String { "\(self.prefix):callbacks:due" }
    private var eventIndex: String { "\(self.prefix):callbacks" }
    private var undeliveredIndex: String { "\(self.prefix):callbacks:undelivered" }
    private var eventPrefix: String { "\(self.prefix):callback:" }

    private static let claimScript = """
        local claimed = {}
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
          local key = ARGV[4] .. id
          if redis.call('HGET', key, 'state') ~= 'pending' then
            redis.call('ZREM', KEYS[1], id)
          else
            redis.call('HINCRBY', key, 'attempts', 1)
            redis.call('HSET', key, 'next_attempt_at', ARGV[3])
            redis.call('ZADD', KEYS[1], ARGV[3], id)
            table.insert(claimed, redis.call('HGETALL', key))
          end
        end
        return claimed
        """

    public func claimDueCallbacks(now: Date, limit: Int, lease: Duration) async throws(LedgerError) -> [OutboxEntry] {
        let leaseEnd = now.addingTimeInterval(lease / .seconds(1))
        do {
            let reply = try await self.redis.send(
                RESPCommand("EVAL", [
                    Self.claimScript, "1", self.dueIndex, String(now.timeIntervalSince1970), String(limit), String(leaseEnd.timeIntervalSince1970), self.eventPrefix,
                ])
            )
            return (reply.array ?? []).compactMap { $0.array.flatMap(Self.entry(from:)) }
        } catch {
            throw LedgerError(operation: "claim callbacks", underlying: error)
        }
    }

    private static let settleScript = """
        if redis.call('HGET', KEYS[1], 'attempts') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'pending' then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[2], 'next_attempt_at', ARGV[3])
        redis.call('HINCRBY', KEYS[1], 'scheduled_attempts', 1)
        redis.call('HINCRBY', KEYS[1], 'refusals', tonumber(ARGV[4]))
        if ARGV[2] == 'pending' then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[6]) else redis.call('ZREM', KEYS[2], ARGV[6]) end
        if ARGV[2] == 'delivered' then redis.call('ZREM', KEYS[4], ARGV[6]) end
        redis.call('RPUSH', KEYS[3], ARGV[5])
        redis.call('EXPIRE', KEYS[3], ARGV[7])
        return 1
        """

    @discardableResult
    public func settle(_ claimed: OutboxEntry, attempt: CallbackAttempt, outcome: CallbackOutcome) async throws(LedgerError) -> Bool {
        let (state, next, refused) = (outcome.state, outcome.nextAttemptAt, outcome.isRefusal)
        let id = claimed.event.id
        do {
            let reply = try await self.redis.send(
                RESPCommand("EVAL", [
                    Self.settleScript, "4", self.eventPrefix + id, self.dueIndex, self.eventPrefix + id + ":attempts", self.undeliveredIndex,
                    String(claimed.attempts), state.rawValue, next.map { String($0.timeIntervalSince1970) } ?? "", refused ? "1" : "0",
                    StoredAttempt(attempt).json, id, self.retentionSeconds,
                ])
            )
            return reply.integer == 1
        } catch {
            throw LedgerError(operation: "settle callback", underlying: error)
        }
    }

    private static let listScript = """
        local entries = {}
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, tonumber(ARGV[2]))) do
          local fields = redis.call('HGETALL', ARGV[3] .. id)
          if #fields > 0 then table.insert(entries, fields) end
        end
        return entries
        """

    public func callbackEvents(after: Int64?, limit: Int) async throws(LedgerError) -> [OutboxEntry] {
        do {
            let reply = try await self.redis.send(RESPCommand("EVAL", [Self.listScript, "1", self.eventIndex, String(after ?? 0), String(limit), self.eventPrefix]))
            return (reply.array ?? []).compactMap { $0.array.flatMap(Self.entry(from:)) }
        } catch {
            throw LedgerError(operation: "read callback events", underlying: error)
        }
    }

    /// Newest first; entries whose hash expired with the retention are dropped from the index.
    private static let undeliveredScript = """
        local entries = {}
        local offset = 0
        while #entries < tonumber(ARGV[1]) do
          local ids = redis.call('ZREVRANGE', KEYS[1], offset, offset + tonumber(ARGV[1]) - 1)
          if #ids == 0 then break end
          for _, id in ipairs(ids) do
            local fields = redis.call('HGETALL', ARGV[2] .. id)
            if #fields == 0 then
              redis.call('ZREM', KEYS[1], id)
              offset = offset - 1
            elseif #entries < tonumber(ARGV[1]) then
              table.insert(entries, fields)
            end
          end
          offset = offset + #ids
        end
        return entries
        """

    public func undeliveredCallbacks(limit: Int) async throws(LedgerError) -> [OutboxEntry] {
        do {
            let reply = try await self.redis.send(RESPCommand("EVAL", [Self.undeliveredScript, "1", self.undeliveredIndex, String(limit), self.eventPrefix]))
            return (reply.array ?? []).compactMap { $0.array.flatMap(Self.entry(from:)) }
        } catch {
            throw LedgerError(operation: "read undelivered callbacks", underlying: error)
        }
    }

    public func callbackEvent(id: String) async throws(LedgerError) -> OutboxEntry? {
        do {
            let reply = try await self.redis.send(RESPCommand("HGETALL", self.eventPrefix + id))
            return reply.array.flatMap(Self.entry(from:))
        } catch {
            throw LedgerError(operation: "read callback event", underlying: error)
        }
    }

    public func callbackAttempts(ofEvent id: String) async throws(LedgerError) -> [CallbackAttempt] {
        do {
            let reply = try await self.redis.send(RESPCommand("LRANGE", self.eventPrefix + id + ":attempts", "0", "-1"))
            return (reply.array ?? []).compactMap { $0.string.flatMap(StoredAttempt.init(json:))?.attempt }
        } catch {
            throw LedgerError(operation: "read callback attempts", underlying: error)
        }
    }

    private static let redeliverScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
        redis.call('HSET', KEYS[1], 'state', 'pending', 'next_attempt_at', ARGV[1], 'scheduled_attempts', 0, 'refusals', 0)
        redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'sequence'), ARGV[2])
        return redis.call('HGETALL', KEYS[1])
        """

    public func redeliver(eventID id: String, now: Date) async throws(LedgerError) -> OutboxEntry? {
        do {
            let reply = try await self.redis.send(
                RESPCommand("EVAL", [Self.redeliverScript, "3", self.eventPrefix + id, self.dueIndex, self.undeliveredIndex, String(now.timeIntervalSince1970), id])
            )
            return reply.array.flatMap(Self.entry(from:))
        } catch {
            throw LedgerError(operation: "redeliver callback", underlying: error)
        }
    }

    /// An entry from its hash's `HGETALL` reply; nil for an empty (expired) or damaged one.
    static func entry(from fields: [RESPValue]) -> OutboxEntry? {
        let values = Self.hash(fields)
        guard let id = values["id"], let kind = values["type"].flatMap(CallbackEvent.Kind.init(rawValue:)),
            let created = values["created_at"].flatMap(Double.init), let body = values["body"],
            let state = values["state"].flatMap(OutboxEntry.State.init(rawValue:)), let sequence = values["sequence"].flatMap(Int64.init),
            let attempts = values["attempts"].flatMap(Int.init), let scheduled = values["scheduled_attempts"].flatMap(Int.init),
            let refusals = values["refusals"].flatMap(Int.init)
        else { return nil }
        let booking = values["booking_id"].flatMap { $0.isEmpty ? nil : $0 }
        return OutboxEntry(
            event: CallbackEvent(id: id, kind: kind, bookingID: booking, createdAt: Date(timeIntervalSince1970: created), body: body),
            sequence: sequence,
            state: state,
            attempts: attempts,
            scheduledAttempts: scheduled,
            refusals: refusals,
            nextAttemptAt: values["next_attempt_at"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        )
    }
}

/// An attempt as the attempts list stores it: one JSON object.
private struct StoredAttempt: Codable {
    let number: Int
    let startedAt: Double
    let statusCode: Int?
    let error: String?
    let milliseconds: Int

    init(_ attempt: CallbackAttempt) {
        self.number = attempt.number
        self.startedAt = attempt.startedAt.timeIntervalSince1970
        self.statusCode = attempt.statusCode
        self.error = attempt.error
        self.milliseconds = attempt.milliseconds
    }

    init?(json: String) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = decoded
    }

    var json: String { (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }

    var attempt: CallbackAttempt {
        CallbackAttempt(number: self.number, startedAt: Date(timeIntervalSince1970: self.startedAt), statusCode: self.statusCode, error: self.error, duration: .milliseconds(self.milliseconds))
    }
}
