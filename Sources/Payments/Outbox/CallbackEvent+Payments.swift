import Crypto
import Foundation

/// The one rule for which recorded payments become callback events, and what their bodies say.
/// Every ledger calls these inside the transaction that records the payment.
extension CallbackEvent {
    /// The event a newly recorded payment calls for, if any: a confirmation, an additional
    /// payment, an underpaid one. Other statuses (pending, failed, …) call for none.
    public static func reporting(_ record: PaymentRecord, registration: RegisteredBooking?) -> CallbackEvent? {
        let event = record.event
        var data: [String: DataValue] = [
            "bookingId": .string(event.bookingID),
            "transactionId": .string(event.transactionID),
            "provider": .string(event.provider),
            "amount": .number(event.amount),
            "receivedAt": .string(Self.timestamp(event.receivedAt)),
        ]
        let kind: Kind
        switch record.role {
        case .confirmation:
            kind = .paymentConfirmed
            data["confirmedAt"] = .string(Self.timestamp(record.recordedAt))
        case .additionalPayment:
            kind = .paymentAdditional
            data["recordedAt"] = .string(Self.timestamp(record.recordedAt))
            data["refundNeeded"] = .bool(true)
        case .nonSuccess:
            guard event.status == .underpaid else { return nil }
            kind = .paymentUnderpaid
            data["recordedAt"] = .string(Self.timestamp(record.recordedAt))
        }
        if let registration {
            data["expectedAmount"] = .number(registration.amount)
            data["currency"] = .string(registration.currency)
        }
        return Self.make(kind, bookingID: event.bookingID, subject: "\(event.provider):\(event.transactionID)", createdAt: record.recordedAt, data: data)
    }

    /// The event for a newly kept unmatched transfer.
    public static func reporting(_ transaction: UnmatchedTransaction) -> CallbackEvent {
        Self.make(
            .transferUnmatched,
            bookingID: nil,
            subject: "\(transaction.provider):\(transaction.transactionID)",
            createdAt: transaction.recordedAt,
            data: [
                "transactionId": .string(transaction.transactionID),
                "provider": .string(transaction.provider),
                "amount": .number(transaction.amount),
                "content": .string(transaction.content),
                "reason": .string(transaction.reason),
                "receivedAt": .string(Self.timestamp(transaction.receivedAt)),
            ]
        )
    }

    /// `evt_` and 32 hex digits of SHA-256 over the kind and the transaction: the same
    /// transaction reported again (on any node) names the same event.
    static func id(kind: Kind, subject: String) -> String {
        let digest = SHA256.hash(data: Data("\(kind.rawValue)|\(subject)".utf8))
        return "evt_" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    private static func make(_ kind: Kind, bookingID: String?, subject: String, createdAt: Date, data: [String: DataValue]) -> CallbackEvent {
        let id = Self.id(kind: kind, subject: subject)
        let body = Body(id: id, type: kind.rawValue, createdAt: Self.timestamp(createdAt), data: data)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers and booleans only: encoding cannot fail.
        let text = (try? encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return CallbackEvent(id: id, kind: kind, bookingID: bookingID, createdAt: createdAt, body: text)
    }

    /// ISO-8601 UTC with milliseconds, as JavaScript's `toISOString()`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The body's `data`, for the events API; empty if the stored body is damaged.
    public var data: [String: DataValue] {
        (try? JSONDecoder().decode(Body.self, from: Data(self.body.utf8)))?.data ?? [:]
    }

    private struct Body: Codable {
        let id: String
        let type: String
        let createdAt: String
        let data: [String: DataValue]
    }

    /// One value of an event's `data`: the bodies hold strings, numbers and booleans only.
    public enum DataValue: Codable, Sendable, Hashable {
        case string(String)
        case number(Decimal)
        case bool(Bool)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .string(text)
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else {
                self = .number(try container.decode(Decimal.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            case .bool(let flag): try container.encode(flag)
            }
        }
    }
}
