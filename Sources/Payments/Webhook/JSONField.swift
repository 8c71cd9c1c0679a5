import Foundation

/// One JSON value of a webhook body, decoded without coercion so that wrong types can be told
/// apart from missing fields (`"500"` is not a number, `1` is not a string, `true` is not 1).
enum JSONField: Decodable, Hashable {
    case null
    case bool(Bool)
    case string(String)
    case number(Decimal)
    case object([String: JSONField])
    case array([JSONField])

    /// Tries the kinds a webhook's fields most often are first: each miss is a thrown error,
    /// the costliest part of decoding.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let object = try? container.decode([String: JSONField].self) {
            self = .object(object)
        } else {
            self = .array(try container.decode([JSONField].self))
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .string: "a string"
        case .number: "a number"
        case .object: "an object"
        case .array: "an array"
        }
    }

    /// Parses a body that must be one JSON object.
    static func object(from body: Data) throws(InputValidationError) -> [String: JSONField] {
        // An object is what a webhook body should be: decoded as one directly, without first
        // failing to decode it as anything else.
        if let object = try? JSONDecoder().decode([String: JSONField].self, from: body) { return object }
        let value: JSONField
        do {
            value = try JSONDecoder().decode(JSONField.self, from: body)
        } catch {
            throw InputValidationError("body is not valid JSON")
        }
        guard case .object(let object) = value else {
            throw InputValidationError("body must be a JSON object, not \(value.typeName)")
        }
        return object
    }

    /// The string at `key`, with the rules every identifier shares.
    static func requiredString(_ key: String, in object: [String: JSONField], maximumLength: Int) throws(InputValidationError) -> String {
        guard let field = object[key], field != .null else { throw InputValidationError("\(key) is required") }
        guard case .string(let text) = field else { throw InputValidationError("\(key) must be a string, not \(field.typeName)") }
        guard !text.isEmpty else { throw InputValidationError("\(key) must not be empty") }
        guard text.count <= maximumLength else { throw InputValidationError("\(key) must be at most \(maximumLength) characters") }
        return text
    }
}
