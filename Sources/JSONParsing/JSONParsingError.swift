/// Why bytes are not a JSON document. The offset is in UTF-8 bytes from the start of the JSON.
public struct JSONParsingError: Error, Hashable, CustomStringConvertible {
    /// What was wrong. A struct with static members rather than an enum, as Hummingbird's error
    /// codes are: a new reason can be added without breaking code that switches over them.
    /// Compare with `==`: `error.reason == .unexpectedEnd`.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        enum Code: Hashable {
            case unexpectedEnd
            case unexpectedCharacter(UInt8)
            case invalidNumber
            case invalidEscape
            case invalidUnicodeEscape
            case controlCharacterInString
            case invalidUTF8
            case tooDeeplyNested(limit: Int)
            case trailingContent
        }

        let code: Code

        private init(_ code: Code) {
            self.code = code
        }

        /// The text ended inside a value.
        public static let unexpectedEnd = Reason(.unexpectedEnd)
        /// A byte that cannot start or continue a value here.
        public static func unexpectedCharacter(_ byte: UInt8) -> Reason { Reason(.unexpectedCharacter(byte)) }
        /// A number that breaks JSON's grammar (a leading zero, a bare `-`, no digits after `.`).
        public static let invalidNumber = Reason(.invalidNumber)
        /// A backslash followed by a character JSON does not escape.
        public static let invalidEscape = Reason(.invalidEscape)
        /// A `\u` escape without four hex digits, or a lone or misordered surrogate.
        public static let invalidUnicodeEscape = Reason(.invalidUnicodeEscape)
        /// A control character (below U+0020) written unescaped inside a string.
        public static let controlCharacterInString = Reason(.controlCharacterInString)
        /// A string whose bytes are not valid UTF-8 (the offset is the string's first byte).
        public static let invalidUTF8 = Reason(.invalidUTF8)
        /// Arrays and objects nested deeper than `limit`, refused so a payload cannot exhaust the stack.
        public static func tooDeeplyNested(limit: Int) -> Reason { Reason(.tooDeeplyNested(limit: limit)) }
        /// Something other than whitespace after the value.
        public static let trailingContent = Reason(.trailingContent)

        /// What was wrong, in words, for logs.
        public var description: String {
            switch self.code {
            case .unexpectedEnd: "unexpected end of JSON"
            case .unexpectedCharacter(let byte): "unexpected character '\(Character(Unicode.Scalar(byte)))'"
            case .invalidNumber: "invalid number"
            case .invalidEscape: "invalid escape sequence"
            case .invalidUnicodeEscape: "invalid \\u escape"
            case .controlCharacterInString: "unescaped control character in string"
            case .invalidUTF8: "string is not valid UTF-8"
            case .tooDeeplyNested(let limit): "nested deeper than \(limit) levels"
            case .trailingContent: "content after the JSON value"
            }
        }
    }

    /// What was wrong.
    public let reason: Reason
    /// Where, in UTF-8 bytes from the start of the JSON text.
    public let offset: Int

    /// An error found at `offset`; public so that code built on the parser can test its refusals.
    public init(reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The reason and the offset, for logs.
    public var description: String {
        "\(self.reason) at byte \(self.offset)"
    }
}
