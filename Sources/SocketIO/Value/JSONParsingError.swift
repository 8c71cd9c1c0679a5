/// Why text is not the JSON a packet needs. The offset is in UTF-8 bytes from the start of the JSON.
public struct JSONParsingError: Error, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case unexpectedEnd
        case unexpectedCharacter(UInt8)
        case invalidNumber
        case invalidEscape
        case invalidUnicodeEscape
        case controlCharacterInString
        case tooDeeplyNested(limit: Int)
        case trailingContent
    }

    public let reason: Reason
    public let offset: Int

    public var description: String {
        let what: String
        switch self.reason {
        case .unexpectedEnd: what = "unexpected end of JSON"
        case .unexpectedCharacter(let byte): what = "unexpected character '\(Character(Unicode.Scalar(byte)))'"
        case .invalidNumber: what = "invalid number"
        case .invalidEscape: what = "invalid escape sequence"
        case .invalidUnicodeEscape: what = "invalid \\u escape"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .tooDeeplyNested(let limit): what = "nested deeper than \(limit) levels"
        case .trailingContent: what = "content after the JSON value"
        }
        return "\(what) at byte \(self.offset)"
    }
}
