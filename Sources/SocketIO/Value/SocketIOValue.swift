public import NIOCore
public import OrderedCollections

/// A value carried by a Socket.IO packet: any JSON value, or binary data (which travels as an
/// attachment and appears in the JSON as a placeholder).
///
/// Objects keep their key order, so a value echoed back is byte-for-byte what was received.
public enum SocketIOValue: Sendable, Hashable {
    /// JSON `null`; also what JavaScript's `undefined` arrives as inside an array.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits `Int`, kept exact.
    case int(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([SocketIOValue])
    /// An object, its keys in the order they were written.
    case object(OrderedDictionary<String, SocketIOValue>)
    /// Binary data: a JavaScript `Buffer`, `ArrayBuffer` or typed array, sent as an attachment.
    case binary(ByteBuffer)

    /// The string, when the value is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when the value is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as a number, whether it was written as an integer or not.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The number as an `Int`, when it is a whole number that fits (`2.0` is `2`).
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): value.rounded() == value ? Int(exactly: value) : nil
        default: nil
        }
    }

    /// The elements, when the value is an array.
    public var arrayValue: [SocketIOValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, when the value is an object.
    public var objectValue: OrderedDictionary<String, SocketIOValue>? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The bytes, when the value is binary.
    public var binaryValue: ByteBuffer? {
        if case .binary(let value) = self { return value }
        return nil
    }

    /// Whether the value is `null`.
    public var isNull: Bool { self == .null }

    /// The member `key` of an object, or nil for a missing key or a non-object.
    public subscript(key: String) -> SocketIOValue? {
        self.objectValue?[key]
    }

    /// Whether the value holds binary data anywhere, which makes its packet a binary packet.
    public var containsBinary: Bool {
        switch self {
        case .binary: true
        case .array(let values): values.contains { $0.containsBinary }
        case .object(let members): members.values.contains { $0.containsBinary }
        default: false
        }
    }
}

extension SocketIOValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` is `null`.
    public init(nilLiteral: ()) { self = .null }
    /// `true` is `.bool(true)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `42` is `.int(42)`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `1.5` is `.double(1.5)`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `"hi"` is `.string("hi")`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `[1, "a"]` is an array.
    public init(arrayLiteral elements: SocketIOValue...) { self = .array(elements) }
    /// `["a": 1]` is an object, in the order written; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, SocketIOValue)...) {
        self = .object(OrderedDictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
