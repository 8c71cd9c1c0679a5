import OrderedCollections

/// A strict RFC 8259 parser producing `SocketIOValue`s, working directly on UTF-8 bytes.
///
/// Nesting is limited so a hostile payload cannot exhaust the stack; integers that fit `Int`
/// stay exact, other numbers become `Double`.
struct JSONParser {
    static let maximumDepth = 128

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ text: Substring) throws(JSONParsingError) -> SocketIOValue {
        var text = text
        return try text.withUTF8(Self.parse).get()
    }

    static func parse(_ bytes: [UInt8]) throws(JSONParsingError) -> SocketIOValue {
        try bytes.withUnsafeBufferPointer(Self.parse).get()
    }

    /// Returns a `Result` because the buffer accessors it runs inside only rethrow untyped errors.
    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<SocketIOValue, JSONParsingError> {
        var parser = JSONParser(bytes: buffer)
        do throws(JSONParsingError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }

    private mutating func parseDocument() throws(JSONParsingError) -> SocketIOValue {
        let value = try self.parseValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else { throw self.error(.trailingContent) }
        return value
    }

    private func error(_ reason: JSONParsingError.Reason) -> JSONParsingError {
        JSONParsingError(reason: reason, offset: self.index)
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParsingError) -> SocketIOValue {
        self.skipWhitespace()
        guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.parseObject()
        case UInt8(ascii: "["): return try self.parseArray()
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): try self.expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try self.expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try self.expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
        case let byte: throw self.error(.unexpectedCharacter(byte))
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParsingError) {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw self.error(.unexpectedEnd) }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where self.bytes[self.index + offset] != expected[offset] {
            self.index += offset
            throw self.error(.unexpectedCharacter(self.bytes[self.index]))
        }
        self.index += count
    }

    private mutating func enterContainer() throws(JSONParsingError) {
        self.depth += 1
        guard self.depth <= Self.maximumDepth else { throw self.error(.tooDeeplyNested(limit: Self.maximumDepth)) }
        self.index += 1
    }

    private mutating func parseArray() throws(JSONParsingError) -> SocketIOValue {
        try self.enterContainer()
        defer { self.depth -= 1 }
        var elements: [SocketIOValue] = []
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            return .array(elements)
        }
        while true {
            elements.append(try self.parseValue())
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
            switch self.bytes[self.index] {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "]"): self.index += 1; return .array(elements)
            case let byte: throw self.error(.unexpectedCharacter(byte))
            }
        }
    }

    private mutating func parseObject() throws(JSONParsingError) -> SocketIOValue {
        try self.enterContainer()
        defer { self.depth -= 1 }
        var members = OrderedDictionary<String, SocketIOValue>()
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
            guard self.bytes[self.index] == UInt8(ascii: "\"") else { throw self.error(.unexpectedCharacter(self.bytes[self.index])) }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
            guard self.bytes[self.index] == UInt8(ascii: ":") else { throw self.error(.unexpectedCharacter(self.bytes[self.index])) }
            self.index += 1
            members[key] = try self.parseValue()
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
            switch self.bytes[self.index] {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "}"): self.index += 1; return .object(members)
            case let byte: throw self.error(.unexpectedCharacter(byte))
            }
        }
    }

    private mutating func parseString() throws(JSONParsingError) -> String {
        self.index += 1
        let start = self.index
        // Fast path: no escapes, the string is a slice of the input.
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
                self.index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw self.error(.controlCharacterInString) }
            self.index += 1
        }
        var utf8 = Array(self.bytes[start..<self.index])
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            switch byte {
            case UInt8(ascii: "\""):
                self.index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try self.parseEscape(into: &utf8)
            case 0..<0x20:
                throw self.error(.controlCharacterInString)
            default:
                utf8.append(byte)
                self.index += 1
            }
        }
        throw self.error(.unexpectedEnd)
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParsingError) {
        self.index += 1
        guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
        let escaped = self.bytes[self.index]
        self.index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try self.parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard self.index + 1 < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"),
                    self.bytes[self.index + 1] == UInt8(ascii: "u")
                else { throw self.error(.invalidUnicodeEscape) }
                self.index += 2
                let low = try self.parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw self.error(.invalidUnicodeEscape) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw self.error(.invalidUnicodeEscape)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw self.error(.invalidUnicodeEscape) }
            utf8.append(contentsOf: Unicode.UTF8.encode(unicode)!)
        default:
            self.index -= 1
            throw self.error(.invalidEscape)
        }
    }

    private mutating func parseHex4() throws(JSONParsingError) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw self.error(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.error(.invalidUnicodeEscape)
            }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParsingError) -> SocketIOValue {
        let start = self.index
        var isInteger = true
        if self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
        guard self.index < self.bytes.count else { throw self.error(.invalidNumber) }
        if self.bytes[self.index] == UInt8(ascii: "0") {
            self.index += 1
        } else {
            guard self.skipDigits() > 0 else { throw self.error(.invalidNumber) }
        }
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ".") {
            isInteger = false
            self.index += 1
            guard self.skipDigits() > 0 else { throw self.error(.invalidNumber) }
        }
        if self.index < self.bytes.count, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            self.index += 1
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-") {
                self.index += 1
            }
            guard self.skipDigits() > 0 else { throw self.error(.invalidNumber) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .int(integer) }
        guard let double = Double(text) else { throw self.error(.invalidNumber) }
        return .double(double)
    }

    private mutating func skipDigits() -> Int {
        let start = self.index
        while self.index < self.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index]) {
            self.index += 1
        }
        return self.index - start
    }
}
