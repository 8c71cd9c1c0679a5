public import NIOCore
public import OrderedCollections

/// A MessagePack value, as `notepack.io` (the codec of Node's `@socket.io/redis-adapter` and
/// `@socket.io/redis-emitter`) writes and reads it.
///
/// MessagePack itself knows no JavaScript: notepack gives its type-0 extensions a meaning
/// (`undefined`, `Date`, `ArrayBuffer`), and JavaScript objects only have string keys. Those
/// meanings are cases here, so that a message from a Node server reads as what it sent.
public enum MessagePackValue: Sendable, Hashable {
    /// `nil` (JavaScript `null`).
    case null
    /// JavaScript `undefined` (notepack's fixext 1 of type 0).
    case undefined
    /// `true` or `false`.
    case bool(Bool)
    /// An integer that fits `Int`; a larger unsigned one reads as a `double`, as in JavaScript.
    case int(Int)
    /// A float (notepack writes every non-integer number as a float 64).
    case double(Double)
    /// A UTF-8 string.
    case string(String)
    /// Bytes: a `bin` (Node's `Buffer`), or an `ArrayBuffer` (notepack's ext 8/16/32 of type 0).
    case binary(ByteBuffer)
    /// An array.
    case array([MessagePackValue])
    /// A map with string keys (a JavaScript object), in the order its keys were written.
    case map(OrderedDictionary<String, MessagePackValue>)
    /// A JavaScript `Date` (notepack's fixext 8 of type 0): milliseconds since 1970.
    case date(millisecondsSince1970: Double)
    /// Any other extension, its type and bytes as they were.
    case `extension`(type: Int8, data: ByteBuffer)

    /// The member `key` of a map, or nil for a missing key or a value that is not a map.
    public subscript(key: String) -> MessagePackValue? {
        if case .map(let members) = self { return members[key] }
        return nil
    }

    /// The string, when the value is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as an `Int`, when it is a whole number that fits.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): value.rounded() == value ? Int(exactly: value) : nil
        default: nil
        }
    }

    /// The elements, when the value is an array.
    public var arrayValue: [MessagePackValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The boolean, when the value is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
