import NIOCore
import OrderedCollections

/// A value carried by a Socket.IO packet: any JSON value, or binary data (which travels as an
/// attachment and appears in the JSON as a placeholder).
///
/// Objects keep their key order, so a value echoed back is byte-for-byte what was received.
public enum SocketIOValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([SocketIOValue])
    case object(OrderedDictionary<String, SocketIOValue>)
    case binary(ByteBuffer)

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

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

    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): value.rounded() == value ? Int(exactly: value) : nil
        default: nil
        }
    }

    public var arrayValue: [SocketIOValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: OrderedDictionary<String, SocketIOValue>? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var binaryValue: ByteBuffer? {
        if case .binary(let value) = self { return value }
        return nil
    }

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
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: SocketIOValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, SocketIOValue)...) {
        self = .object(OrderedDictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
