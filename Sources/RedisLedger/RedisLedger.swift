import Foundation
import Logging
import NIOCore
import Payments
import Redis

/// The ledger on Redis, for clusters: every node records into and reads from the same store, so
/// idempotency and the late-subscriber replay hold whichever node took the webhook.
///
/// A payment is a hash `<prefix>:payment:<provider>:<transaction>`; a booking's payments are a
/// sorted set `<prefix>:booking:<id>` (by recording time); its confirmation is the key
/// `<prefix>:confirmed:<id>`, set only once. Recording runs as one Lua script, so it is atomic
/// across nodes. Retention is Redis expiry on every key; `prune` has nothing left to do.
public final class RedisLedger: Ledger {
    let redis: any RedisCommandExecutor
    let prefix: String
    private let retention: Duration
    private let logger: Logger
    /// Whether recording a payment also writes its merchant callback event (the outbox).
    let writesCallbacks: Bool

    /// `writesCallbacks`: whether each payment and unmatched transfer that calls for a merchant
    /// callback writes its event, in the script that records it.
    public init(redis: any RedisCommandExecutor, prefix: String = "paynotify", retention: Duration, logger: Logger, writesCallbacks: Bool = false) {
        self.redis = redis
        self.prefix = prefix
        self.writesCallbacks = writesCallbacks
        self.retention = retention
        self.logger = logger
    }

    var retentionSeconds: String { String(Int(self.retention / .seconds(1))) }

    private func paymentKey(provider: String, transactionID: String) -> String {
        "\(self.prefix):payment:\(provider):\(transactionID)"
    }

    /// Records atomically: a repeat (same status, or anything after a success) returns the stored
    /// record; otherwise the payment is written with its role (a booking's first success claims
    /// its confirmation key) and the callback event its role calls for (one of the three prepared
    /// in ARGV[11…25], none when ARGV[10] is empty) is added to the outbox.
    ///
    /// Redis does not undo a script's writes when a later command fails, so the script decides
    /// everything with reads first and writes the event before the payment: when the event
    /// cannot be written (a key of the wrong type), nothing is, and the webhook is answered 503.
    private static let recordScript = RedisLedger.addCallbackFunction + """
        local stored = redis.call('HGET', KEYS[1], 'status')
        if stored and (stored == 'success' or stored == ARGV[5]) then
          return {'duplicate', redis.call('HGETALL', KEYS[1])}
        end
        local role = 'non-success'
        if ARGV[5] == 'success' then
          if redis.call('EXISTS', KEYS[3]) == 0 then role = 'confirmation' else role = 'additional' end
        end
        if ARGV[10] ~= '' then
          local slot = 21
          if role == 'confirmation' then slot = 11 elseif role == 'additional' then slot = 16 end
          if ARGV[slot] ~= '' then add_callback(ARGV[10], ARGV[slot], ARGV[slot + 1], ARGV[slot + 2], ARGV[slot + 3], ARGV[slot + 4], ARGV[9]) end
        end
        if role == 'confirmation' then redis.call('SET', KEYS[3], KEYS[1], 'EX', ARGV[9]) end
        redis.call('HSET', KEYS[1], 'provider', ARGV[1], 'transaction_id', ARGV[2], 'booking_id', ARGV[3], 'amount', ARGV[4],
          'status', ARGV[5], 'role', role, 'received_at', ARGV[6], 'recorded_at', ARGV[7])
        redis.call('EXPIRE', KEYS[1], ARGV[9])
        redis.call('ZADD', KEYS[2], ARGV[8], KEYS[1])
        redis.call('EXPIRE', KEYS[2], ARGV[9])
        redis.call('ZADD', ARGV[26] .. ':payments', redis.call('INCR', ARGV[26] .. ':payments:sequence'), KEYS[1])
        trim_index(ARGV[26] .. ':payments', '')
        return {'recorded', redis.call('HGETALL', KEYS[1])}
        """

    /// The registration is read before the script runs (two round trips); registering a booking
    /// and paying it are not expected to race.
    public func record(_ reported: PaymentEvent, registration known: RegisteredBooking?) async throws(LedgerError) -> RecordedPayment {
        var registration = known
        if registration == nil, reported.status.isSuccess {
            registration = try await self.registeredBooking(id: reported.bookingID)
        }
        let outcome = try await self.store(reported.checked(against: registration), registration: registration)
        return RecordedPayment(outcome: outcome, registration: registration)
    }

    private func store(_ event: PaymentEvent, registration: RegisteredBooking?) async throws(LedgerError) -> RecordOutcome {
        let key = self.paymentKey(provider: event.provider, transactionID: event.transactionID)
        let now = Date()
        let reply: RESPValue
        do {
            reply = try await self.redis.send(
                RESPCommand("EVAL", [
                    Self.recordScript, "3", key, "\(self.prefix):booking:\(event.bookingID)", "\(self.prefix):confirmed:\(event.bookingID)",
                    event.provider, event.transactionID, event.bookingID, event.amount.description, event.status.rawValue,
                    String(event.receivedAt.timeIntervalSince1970), String(now.timeIntervalSince1970),
                    String(now.timeIntervalSince1970), self.retentionSeconds,
                ] + self.callbackArguments(for: event, recordedAt: now, registration: registration) + [self.prefix])
            )
        } catch {
            throw LedgerError(operation: "record", underlying: error)
        }
        guard let parts = reply.array, parts.count == 2, let outcome = parts[0].string, let fields = parts[1].array,
            let record = Self.record(from: fields)
        else {
            throw LedgerError(operation: "record", underlying: RedisError.protocolViolation("unexpected reply to the record script"))
        }
        return outcome == "duplicate" ? .duplicate(record) : .recorded(record)
    }

    /// A booking's payments, oldest first, in one round trip.
    private static let statusScript = """
        local payments = {}
        for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          table.insert(payments, redis.call('HGETALL', key))
        end
        return payments
        """

    public func status(ofBooking bookingID: String) async throws(LedgerError) -> BookingStatus {
        do {
            let reply = try await self.redis.send(RESPCommand("EVAL", [Self.statusScript, "1", "\(self.prefix):booking:\(bookingID)"]))
            // A payment that expired before its booking's index comes back empty and is skipped.
            let payments = (reply.array ?? []).compactMap { $0.array.flatMap(Self.record(from:)) }
            return BookingStatus(bookingID: bookingID, payments: payments)
        } catch {
            throw LedgerError(operation: "read booking", underlying: error)
        }
    }

    /// Redis expires every key after the retention period by itself.
    public func prune(recordedBefore date: Date) async throws(LedgerError) -> Int { 0 }

    public func markAnnounced(_ record: PaymentRecord) async throws(LedgerError) {
        do {
            _ = try await self.redis.send(
                RESPCommand("HSET", self.paymentKey(provider: record.event.provider, transactionID: record.event.transactionID), "announced", "1")
            )
        } catch {
            throw LedgerError(operation: "mark announced", underlying: error)
        }
    }

    public func hasProcessedWebhookMessage(_ id: String) async throws(LedgerError) -> Bool {
        do {
            return try await self.redis.send(RESPCommand("EXISTS", "\(self.prefix):webhook-message:\(id)")).integer == 1
        } catch {
            throw LedgerError(operation: "read webhook message", underlying: error)
        }
    }

    public func rememberWebhookMessage(_ id: String, until expiry: Date) async throws(LedgerError) {
        let milliseconds = max(1, Int(expiry.timeIntervalSinceNow * 1000))
        do {
            _ = try await self.redis.send(RESPCommand("SET", "\(self.prefix):webhook-message:\(id)", "1", "PX", String(milliseconds)))
        } catch {
            throw LedgerError(operation: "remember webhook message", underlying: error)
        }
    }

    public func checkWritable() async throws(LedgerError) {
        do {
            _ = try await self.redis.send(RESPCommand("SET", "\(self.prefix):health", String(Date().timeIntervalSince1970), "EX", "60"))
        } catch {
            throw LedgerError(operation: "write check", underlying: error)
        }
    }

    /// A record from a hash's `HGETALL` reply (field, value, field, value…).
    static func record(from fields: [RESPValue]) -> PaymentRecord? {
        let values = Self.hash(fields)
        guard let provider = values["provider"], let transactionID = values["transaction_id"], let bookingID = values["booking_id"],
            let amount = Self.decimal(values["amount"]),
            let status = values["status"], let roleText = values["role"], let role = PaymentRecord.Role(rawValue: roleText),
            let receivedAt = values["received_at"].flatMap(Double.init), let recordedAt = values["recorded_at"].flatMap(Double.init)
        else { return nil }
        let event = PaymentEvent(
            provider: provider,
            transactionID: transactionID,
            bookingID: bookingID,
            amount: amount,
            status: PaymentStatus(rawValue: status),
            receivedAt: Date(timeIntervalSince1970: receivedAt)
        )
        return PaymentRecord(event: event, role: role, recordedAt: Date(timeIntervalSince1970: recordedAt), announced: values["announced"] == "1")
    }

    /// A hash's `HGETALL` reply (field, value, field, value…) as a dictionary.
    static func hash(_ fields: [RESPValue]) -> [String: String] {
        var values: [String: String] = [:]
        var index = 0
        while index + 1 < fields.count {
            if let name = fields[index].string, let value = fields[index + 1].string { values[name] = value }
            index += 2
        }
        return values
    }

    static func decimal(_ text: String?) -> Decimal? {
        text.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }
}
