import JSONParsing
import OrderedCollections

extension SocketIOValue {
    /// Builds Socket.IO values: objects keep their members' order, integers that fit `Int` stay
    /// exact, other numbers become `Double`.
    enum JSONBuilder: JSONValueBuilder {
        static var null: SocketIOValue { .null }
        static func bool(_ value: Bool) -> SocketIOValue { .bool(value) }
        static func string(_ value: String) -> SocketIOValue { .string(value) }
        static func array(_ elements: [SocketIOValue]) -> SocketIOValue { .array(elements) }

        static func number(_ text: String, isInteger: Bool) -> SocketIOValue? {
            if isInteger, let integer = Int(text) { return .int(integer) }
            return Double(text).map(SocketIOValue.double)
        }

        static func emptyMembers() -> OrderedDictionary<String, SocketIOValue> { [:] }

        static func add(_ value: SocketIOValue, forKey key: String, to members: inout OrderedDictionary<String, SocketIOValue>) {
            members[key] = value
        }

        static func object(_ members: OrderedDictionary<String, SocketIOValue>) -> SocketIOValue { .object(members) }
    }

    /// Parses JSON from its UTF-8 bytes; `init(json:)` is the public way in.
    static func parse(_ utf8: some Collection<UInt8>) throws(JSONParsingError) -> SocketIOValue {
        try JSONParser.parse(utf8, as: JSONBuilder.self)
    }
}
