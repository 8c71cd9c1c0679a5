import Foundation

/// What a provider's status API said about one booking.
public struct ProviderPaymentStatus: Sendable, Hashable {
    public var isPaid: Bool
    public var transactionID: String?
    public var amount: Decimal?

    public init(isPaid: Bool, transactionID: String? = nil, amount: Decimal? = nil) {
        self.isPaid = isPaid
        self.transactionID = transactionID
        self.amount = amount
    }
}

/// A status API answer that could not be understood.
public struct ProviderResponseError: Error, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}

/// Where in a status API's JSON answer the payment state is. Field names may be dotted paths
/// (`data.status`). Defaults match the reference design: `{"status":"paid","transactionId":…,"amount":…}`.
public struct ProviderStatusMapping: Sendable, Hashable, Codable {
    public var status: String
    /// The value of the status field that means paid (compared as text).
    public var paidValue: String
    public var transactionId: String
    public var amount: String

    public init(status: String = "status", paidValue: String = "paid", transactionId: String = "transactionId", amount: String = "amount") {
        self.status = status
        self.paidValue = paidValue
        self.transactionId = transactionId
        self.amount = amount
    }

    public init(from decoder: any Decoder) throws {
        let defaults = ProviderStatusMapping()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? defaults.status
        self.paidValue = try container.decodeIfPresent(String.self, forKey: .paidValue) ?? defaults.paidValue
        self.transactionId = try container.decodeIfPresent(String.self, forKey: .transactionId) ?? defaults.transactionId
        self.amount = try container.decodeIfPresent(String.self, forKey: .amount) ?? defaults.amount
    }

    /// Reads a status API answer.
    public func interpret(_ body: Data) throws(ProviderResponseError) -> ProviderPaymentStatus {
        let object: [String: JSONField]
        do {
            object = try JSONField.object(from: body)
        } catch {
            throw ProviderResponseError("status API answer: \(error.message)")
        }
        guard let status = Self.value(at: self.status, in: object) else {
            throw ProviderResponseError("status API answer has no '\(self.status)' field")
        }
        let isPaid = Self.text(of: status) == self.paidValue
        let transactionID = Self.value(at: self.transactionId, in: object).flatMap(Self.text(of:))
        var amount: Decimal?
        switch Self.value(at: self.amount, in: object) {
        case .number(let number)?: amount = number
        case .string(let text)?: amount = Self.decimal(text)
        default: amount = nil
        }
        return ProviderPaymentStatus(isPaid: isPaid, transactionID: transactionID, amount: amount)
    }

    private static func value(at path: String, in object: [String: JSONField]) -> JSONField? {
        var current = JSONField.object(object)
        for key in path.split(separator: ".") {
            guard case .object(let members) = current, let next = members[String(key)] else { return nil }
            current = next
        }
        return current
    }

    /// A plain decimal number (`1000`, `-12.50`), nothing else: `Decimal(string:)` alone would
    /// read `1,000` as 1 and `12abc` as 12.
    private static func decimal(_ text: String) -> Decimal? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    private static func text(of field: JSONField) -> String? {
        switch field {
        case .string(let text): text
        case .number(let number): number.description
        case .bool(let flag): String(flag)
        default: nil
        }
    }
}
