public import NIOCore

/// A RESP2 value, as Redis sends it.
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `OK` or `PONG`.
    case simpleString(String)
    /// An error reply; `RedisClient` throws it as `RedisError.server(command:message:)` instead.
    case error(String)
    /// An integer reply.
    case integer(Int)
    /// nil is the null bulk string (`$-1`).
    case bulkString(ByteBuffer?)
    /// nil is the null array (`*-1`).
    case array([RESPValue]?)

    /// The value as text: simple and bulk strings.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(buffer: bytes)
        default: nil
        }
    }

    /// The value of an integer reply.
    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The elements of a (non-null) array reply.
    public var array: [RESPValue]? {
        if case .array(let values?) = self { return values }
        return nil
    }

    /// Whether the reply is null: a missing key or field, or a timed-out blocking command.
    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }
}
