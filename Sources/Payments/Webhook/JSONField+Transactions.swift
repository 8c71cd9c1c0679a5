import Foundation

/// The fields bank-transfer providers share, read with the same rules for all of them.
extension JSONField {
    /// A transaction id, written as a string (pay2s) or an integer (SePay, Casso).
    static func identifier(_ key: String, in object: [String: JSONField]) throws(InputValidationError) -> String {
        switch object[key] {
        case .number(let number) where number.isWholeNumber && number >= 0:
            return number.description
        case .number:
            throw InputValidationError("\(key) must be a whole number or a string")
        default:
            return try Self.requiredString(key, in: object, maximumLength: GenericWebhookParser.maximumIdentifierLength)
        }
    }

    /// A required number (an amount), as exact as the provider wrote it.
    static func number(_ key: String, in object: [String: JSONField]) throws(InputValidationError) -> Decimal {
        guard let field = object[key], field != .null else { throw InputValidationError("\(key) is required") }
        guard case .number(let number) = field else { throw InputValidationError("\(key) must be a number, not \(field.typeName)") }
        return number
    }

    /// The `transferAmount` of a transfer whose `transferType` is `incoming`; nil for
    /// `outgoing` (pay2s writes `IN`/`OUT`, SePay `in`/`out`).
    static func incomingAmount(in transaction: [String: JSONField], incoming: String, outgoing: String) throws(InputValidationError) -> Decimal? {
        let direction = try Self.requiredString("transferType", in: transaction, maximumLength: 8)
        guard direction == incoming || direction == outgoing else { throw InputValidationError("transferType must be \(incoming) or \(outgoing)") }
        guard direction == incoming else { return nil }
        let amount = try Self.number("transferAmount", in: transaction)
        guard amount >= 0 else { throw InputValidationError("transferAmount must not be negative") }
        return amount
    }

    /// An optional string: absent or null reads as nil, any other type is refused.
    static func optionalString(_ key: String, in object: [String: JSONField]) throws(InputValidationError) -> String? {
        switch object[key] {
        case nil, .null: return nil
        case .string(let text): return text
        case let field?: throw InputValidationError("\(key) must be a string, not \(field.typeName)")
        }
    }

    /// The objects of an array field, each one a transaction.
    static func objects(_ key: String, in object: [String: JSONField]) throws(InputValidationError) -> [[String: JSONField]] {
        guard let field = object[key], field != .null else { throw InputValidationError("\(key) is required") }
        guard case .array(let elements) = field else { throw InputValidationError("\(key) must be an array, not \(field.typeName)") }
        return try elements.enumerated().map { index, element throws(InputValidationError) in
            guard case .object(let transaction) = element else { throw InputValidationError("\(key)[\(index)] must be an object") }
            return transaction
        }
    }
}

extension JSONField {
    /// Reads each transaction of a batch, naming the one at fault (`transactions[2]: id is
    /// required`); nil from `read` leaves a transaction out (an outgoing transfer).
    static func each<T>(
        _ entries: [[String: JSONField]],
        in key: String,
        _ read: ([String: JSONField]) throws(InputValidationError) -> T?
    ) throws(InputValidationError) -> [T] {
        var results: [T] = []
        for (index, entry) in entries.enumerated() {
            do {
                if let result = try read(entry) { results.append(result) }
            } catch {
                throw InputValidationError("\(key)[\(index)]: \(error.message)")
            }
        }
        return results
    }
}

extension ReportedTransaction {
    /// An incoming bank transfer as the providers report it: its id under `id` (the dedupe key),
    /// its transfer text under `contentKey`, a success once the money is in.
    static func incomingTransfer(
        provider: String,
        _ transaction: [String: JSONField],
        amount: Decimal,
        contentKey: String,
        code: String? = nil,
        receivedAt: Date
    ) throws(InputValidationError) -> ReportedTransaction {
        ReportedTransaction(
            provider: provider,
            transactionID: try JSONField.identifier("id", in: transaction),
            amount: amount,
            status: .success,
            reference: .transferContent(try JSONField.optionalString(contentKey, in: transaction) ?? "", code: code),
            receivedAt: receivedAt
        )
    }
}
