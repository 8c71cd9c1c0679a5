/// What a parsed JSON document becomes.
///
/// The parser checks the grammar and reads strings and numbers; the builder makes the values.
/// So each module gets its own value type (Socket.IO's ordered objects and `Int`/`Double`
/// numbers, a webhook's exact decimal amounts) in one pass over the bytes, with no
/// intermediate tree and no `Decodable` machinery in between.
public protocol JSONValueBuilder {
    /// A value of any kind.
    associatedtype Value
    /// An object's members while they are read.
    associatedtype Members

    static var null: Value { get }
    static func bool(_ value: Bool) -> Value
    static func string(_ value: String) -> Value
    /// A number, as written: `text` already follows JSON's grammar, and `isInteger` says it has
    /// neither a fraction nor an exponent. `nil` when the builder cannot represent it.
    static func number(_ text: String, isInteger: Bool) -> Value?
    static func array(_ elements: [Value]) -> Value

    /// An object with no members yet.
    static func emptyMembers() -> Members
    /// Adds a member; a key already present takes the later value.
    static func add(_ value: Value, forKey key: String, to members: inout Members)
    static func object(_ members: Members) -> Value
}
