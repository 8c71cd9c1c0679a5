/// A strict RFC 8259 parser working directly on UTF-8 bytes; a `JSONValueBuilder` makes the
/// values.
///
/// Nesting is limited so a hostile payload cannot exhaust the stack, and strings must be valid
/// UTF-8 (repairing them would change what was signed or sent). The parsing code is inlinable so
/// that it is specialised for each builder: a generic call per value would cost more than the
/// parsing itself.
public enum JSONParser {
    /// How deep arrays and objects may nest.
    public static let maximumDepth = 128

    /// Parses one JSON document (surrounding whitespace allowed).
    @inlinable
    public static func parse<Builder: JSONValueBuilder>(_ bytes: UnsafeBufferPointer<UInt8>, as builder: Builder.Type) throws(JSONParsingError) -> Builder.Value {
        var reader = JSONReader<Builder>(bytes: bytes)
        return try reader.parseDocument()
    }

    /// Parses one JSON document from bytes (a string's `utf8`, `Data`, an array): in place when
    /// they are contiguous, as a native string's are.
    @inlinable
    public static func parse<Builder: JSONValueBuilder>(_ bytes: some Collection<UInt8>, as builder: Builder.Type) throws(JSONParsingError) -> Builder.Value {
        // The buffer accessors only rethrow untyped errors: the typed one travels in a `Result`.
        func parseBuffer(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<Builder.Value, JSONParsingError> {
            Result { () throws(JSONParsingError) in try Self.parse(buffer, as: builder) }
        }
        if let parsed = bytes.withContiguousStorageIfAvailable(parseBuffer) { return try parsed.get() }
        return try Array(bytes).withUnsafeBufferPointer(parseBuffer).get()
    }
}

/// One parse's position in the bytes.
@usableFromInline
struct JSONReader<Builder: JSONValueBuilder> {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var index = 0
    @usableFromInline var depth = 0

    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    @inlinable
    mutating func parseDocument() throws(JSONParsingError) -> Builder.Value {
        let value = try self.parseValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else { throw self.error(.trailingContent) }
        return value
    }

    @inlinable
    func error(_ reason: JSONParsingError.Reason) -> JSONParsingError {
        JSONParsingError(reason: reason, offset: self.index)
    }

    @inlinable
    mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }

    @inlinable
    mutating func parseValue() throws(JSONParsingError) -> Builder.Value {
        self.skipWhitespace()
        guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.parseObject()
        case UInt8(ascii: "["): return try self.parseArray()
        case UInt8(ascii: "\""): return Builder.string(try self.parseString())
        case UInt8(ascii: "t"): try self.expectLiteral("true"); return Builder.bool(true)
        case UInt8(ascii: "f"): try self.expectLiteral("false"); return Builder.bool(false)
        case UInt8(ascii: "n"): try self.expectLiteral("null"); return Builder.null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
        case let byte: throw self.error(.unexpectedCharacter(byte))
        }
    }

    @inlinable
    mutating func expectLiteral(_ literal: StaticString) throws(JSONParsingError) {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw self.error(.unexpectedEnd) }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where self.bytes[self.index + offset] != expected[offset] {
            self.index += offset
            throw self.error(.unexpectedCharacter(self.bytes[self.index]))
        }
        self.index += count
    }

    @inlinable
    mutating func enterContainer() throws(JSONParsingError) {
        self.depth += 1
        guard self.depth <= JSONParser.maximumDepth else { throw self.error(.tooDeeplyNested(limit: JSONParser.maximumDepth)) }
        self.index += 1
    }

    @inlinable
    mutating func parseArray() throws(JSONParsingError) -> Builder.Value {
        try self.enterContainer()
        defer { self.depth -= 1 }
        var elements: [Builder.Value] = []
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            return Builder.array(elements)
        }
        while true {
            elements.append(try self.parseValue())
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
            switch self.bytes[self.index] {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "]"): self.index += 1; return Builder.array(elements)
            case let byte: throw self.error(.unexpectedCharacter(byte))
            }
        }
    }

    @inlinable
    mutating func parseObject() throws(JSONParsingError) -> Builder.Value {
        try self.enterContainer()
        defer { self.depth -= 1 }
        var members = Builder.emptyMembers()
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            return Builder.object(members)
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
            Builder.add(try self.parseValue(), forKey: key, to: &members)
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd) }
            switch self.bytes[self.index] {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "}"): self.index += 1; return Builder.object(members)
            case let byte: throw self.error(.unexpectedCharacter(byte))
            }
        }
    }

    @inlinable
    mutating func parseString() throws(JSONParsingError) -> String {
        self.index += 1
        let start = self.index
        // Fast path: no escapes, the string is a slice of the input.
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                guard let string = String(validating: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self) else {
                    self.index = start
                    throw self.error(.invalidUTF8)
                }
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
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    self.index = start
                    throw self.error(.invalidUTF8)
                }
                self.index += 1
                return string
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

    @inlinable
    mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParsingError) {
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

    @inlinable
    mutating func parseHex4() throws(JSONParsingError) -> UInt32 {
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

    @inlinable
    mutating func parseNumber() throws(JSONParsingError) -> Builder.Value {
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
        guard let number = Builder.number(text, isInteger: isInteger) else { throw self.error(.invalidNumber) }
        return number
    }

    @inlinable
    mutating func skipDigits() -> Int {
        let start = self.index
        while self.index < self.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index]) {
            self.index += 1
        }
        return self.index - start
    }
}
