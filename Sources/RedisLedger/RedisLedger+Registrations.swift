import Foundation
import Payments
import Redis

/// Booking registrations on Redis: a hash `<prefix>:registered:<id>` and, for a booking with its
/// own memo, the key `<prefix>:memo:<MEMO>` naming the booking. Both expire with the retention.
extension RedisLedger {
    /// Claims the memo unless another booking holds it, drops the booking's previous memo, and
    /// replaces the registration, atomically. (The previous memo's key is derived inside the
    /// script: fine on one Redis, not on Redis Cluster, which this ledger does not target.)
    private static let registerScript = """
        local memo = ARGV[3]
        if memo ~= '' then
          local owner = redis.call('GET', KEYS[2])
          if owner and owner ~= ARGV[1] then return {'taken', owner} end
        end
        local previous = redis.call('HGET', KEYS[1], 'memo')
        if previous and previous ~= '' and previous ~= memo then redis.call('DEL', ARGV[8] .. previous) end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'booking_id', ARGV[1], 'amount', ARGV[2], 'memo', memo, 'currency', ARGV[4],
          'expires_at', ARGV[5], 'registered_at', ARGV[6])
        redis.call('EXPIRE', KEYS[1], ARGV[7])
        if memo ~= '' then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[7]) end
        return {'registered', ARGV[1]}
        """

    /// The booking a memo names, in one round trip.
    private static let byMemoScript = """
        local id = redis.call('GET', KEYS[1])
        if not id then return {} end
        return redis.call('HGETALL', ARGV[1] .. id)
        """

    private var memoPrefix: String { "\(self.prefix):memo:" }
    private var registrationPrefix: String { "\(self.prefix):registered:" }

    public func register(_ booking: RegisteredBooking) async throws(LedgerError) -> RegistrationOutcome {
        let memo = booking.memo ?? ""
        let reply: RESPValue
        do {
            reply = try await self.redis.send(
                RESPCommand("EVAL", [
                    Self.registerScript, "2", self.registrationPrefix + booking.bookingID, self.memoPrefix + memo,
                    booking.bookingID, booking.amount.description, memo, booking.currency,
                    booking.expiresAt.map { String($0.timeIntervalSince1970) } ?? "", String(booking.registeredAt.timeIntervalSince1970),
                    self.retentionSeconds, self.memoPrefix,
                ])
            )
        } catch {
            throw LedgerError(operation: "register booking", underlying: error)
        }
        guard let parts = reply.array, parts.count == 2, let outcome = parts[0].string, let bookingID = parts[1].string else {
            throw LedgerError(operation: "register booking", underlying: RedisError.protocolViolation("unexpected reply to the register script"))
        }
        return outcome == "taken" ? .memoTaken(byBooking: bookingID) : .registered(booking)
    }

    public func registeredBooking(id bookingID: String) async throws(LedgerError) -> RegisteredBooking? {
        try await self.registeredBooking(RESPCommand("HGETALL", self.registrationPrefix + bookingID))
    }

    public func registeredBooking(memo: String) async throws(LedgerError) -> RegisteredBooking? {
        try await self.registeredBooking(RESPCommand("EVAL", [Self.byMemoScript, "1", self.memoPrefix + memo.uppercased(), self.registrationPrefix]))
    }

    private func registeredBooking(_ command: RESPCommand) async throws(LedgerError) -> RegisteredBooking? {
        let reply: RESPValue
        do {
            reply = try await self.redis.send(command)
        } catch {
            throw LedgerError(operation: "read registered booking", underlying: error)
        }
        let values = Self.hash(reply.array ?? [])
        guard !values.isEmpty else { return nil }
        guard let bookingID = values["booking_id"], let amount = Self.decimal(values["amount"]), let currency = values["currency"],
            let registeredAt = values["registered_at"].flatMap(Double.init)
        else {
            throw LedgerError(operation: "read registered booking", underlying: RedisError.protocolViolation("incomplete registration of \(values["booking_id"] ?? "?")"))
        }
        return RegisteredBooking(
            bookingID: bookingID,
            amount: amount,
            currency: currency,
            memo: values["memo"].flatMap { $0.isEmpty ? nil : $0 },
            expiresAt: values["expires_at"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)),
            registeredAt: Date(timeIntervalSince1970: registeredAt)
        )
    }
}
