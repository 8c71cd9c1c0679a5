import MessagePack
import OrderedCollections
import SocketIO

extension MessagePackValue {
    /// A Socket.IO value as a Node server's notepack writes it: objects as maps, binary as `bin`.
    init(_ value: SocketIOValue) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double)
        case .string(let string): self = .string(string)
        case .binary(let bytes): self = .binary(bytes)
        case .array(let elements): self = .array(elements.map(MessagePackValue.init))
        case .object(let members): self = .map(members.mapValues(MessagePackValue.init))
        }
    }
}

extension SocketIOValue {
    /// A value from another node as its clients would see it, through JSON: `undefined` is
    /// `null` in an array and left out of an object, a `Date` is its ISO-8601 text, and an
    /// unknown extension is notepack's `[type, bytes]`.
    init(_ value: MessagePackValue) {
        switch value {
        case .null, .undefined: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double)
        case .string(let string): self = .string(string)
        case .binary(let bytes): self = .binary(bytes)
        case .array(let elements): self = .array(elements.map(SocketIOValue.init))
        case .map(let members):
            var object = OrderedDictionary<String, SocketIOValue>(minimumCapacity: members.count)
            for (key, member) in members where member != .undefined { object[key] = SocketIOValue(member) }
            self = .object(object)
        case .date(let milliseconds): self = .string(JavaScriptDate.isoString(millisecondsSince1970: milliseconds))
        case .extension(let type, let data): self = .array([.int(Int(type)), .binary(data)])
        }
    }
}
