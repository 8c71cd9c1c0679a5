import Testing

import JSONParsing
@testable import SocketIO

@Suite("JSON parser")
struct JSONParserTests {
    // MARK: Values

    static let valueCases: [(json: String, value: SocketIOValue)] = [
        ("null", .null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .int(0)),
        ("42", .int(42)),
        ("-7", .int(-7)),
        ("-0", .int(0)),
        ("9223372036854775807", .int(Int.max)),
        ("-9223372036854775808", .int(Int.min)),
        ("1.5", .double(1.5)),
        ("-0.25", .double(-0.25)),
        ("1e3", .double(1000)),
        ("1E3", .double(1000)),
        ("2.5e-3", .double(0.0025)),
        ("1e+2", .double(100)),
        ("1.0", .double(1)),
        (#""""#, .string("")),
        (#""hello""#, .string("hello")),
        ("[]", .array([])),
        ("{}", [:]),
        (#"[1,"a",null]"#, .array([.int(1), .string("a"), .null])),
        (#"{"a":1}"#, ["a": .int(1)]),
    ]

    @Test("Parses every kind of value", arguments: valueCases)
    func parsesValue(json: String, value: SocketIOValue) throws {
        #expect(try SocketIOValue(json: json) == value)
    }

    @Test("Integers that do not fit Int become Double", arguments: [
        ("9223372036854775808", 9223372036854775808.0),
        ("-9223372036854775809", -9223372036854775809.0),
        ("12345678901234567890123", 12345678901234567890123.0),
    ])
    func bigIntegersBecomeDouble(json: String, expected: Double) throws {
        #expect(try SocketIOValue(json: json) == .double(expected))
    }

    @Test("Nested containers")
    func parsesNested() throws {
        let value = try SocketIOValue(json: #"{"user":{"id":7,"tags":["a",["b",{"c":null}]]},"ok":true,"list":[[],{}]}"#)
        let expected: SocketIOValue = [
            "user": ["id": 7, "tags": ["a", ["b", ["c": nil]]]],
            "ok": true,
            "list": [[], [:]],
        ]
        #expect(value == expected)
        #expect(value["user"]?["tags"]?.arrayValue?.count == 2)
    }

    @Test("Object keys keep their order")
    func keepsKeyOrder() throws {
        let value = try SocketIOValue(json: #"{"zebra":1,"apple":2,"mango":3,"banana":4}"#)
        // Object equality is order-sensitive, so this also checks the order.
        #expect(value == ["zebra": 1, "apple": 2, "mango": 3, "banana": 4])
        #expect(value != ["apple": 2, "banana": 4, "mango": 3, "zebra": 1])
    }

    @Test("A repeated key keeps the last value")
    func duplicateKeyKeepsLast() throws {
        let value = try SocketIOValue(json: #"{"a":1,"b":2,"a":3}"#)
        #expect(value == ["a": 3, "b": 2])
    }

    @Test("Whitespace around tokens is ignored")
    func skipsWhitespace() throws {
        let value = try SocketIOValue(json: " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" :\nnull }\n ")
        #expect(value == ["a": [1, 2], "b": nil])
    }

    // MARK: Strings

    @Test("String escapes", arguments: [
        (#""\"""#, "\""),
        (#""\\""#, "\\"),
        (#""\/""#, "/"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
        (#""a\u0041b""#, "aAb"),
        (#""\u00e9\u00E9""#, "éé"),
        (#""\u2713""#, "✓"),
        (#""\u0000""#, "\u{0}"),
        (#""\ud83d\ude00""#, "😀"),
        (#""x\uD83D\uDE00y""#, "x😀y"),
        (#""héllo ✓ 😀""#, "héllo ✓ 😀"),
        (#""prefix \n suffix""#, "prefix \n suffix"),
    ])
    func parsesStringEscapes(json: String, expected: String) throws {
        #expect(try SocketIOValue(json: json) == .string(expected))
    }

    @Test("Invalid unicode escapes are rejected", arguments: [
        #""\ud83d""#,  // high surrogate alone
        #""\ud83dx""#,  // high surrogate followed by a plain character
        #""\ud83d\u0041""#,  // high surrogate followed by a non-surrogate escape
        #""\ud83d\ud83d""#,  // two high surrogates
        #""\ude00""#,  // low surrogate alone
        #""\u12g4""#,  // not hex
        #""\u12""#,  // too short
    ])
    func rejectsInvalidUnicodeEscape(json: String) {
        #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
    }

    @Test("A lone surrogate reports an invalid unicode escape")
    func loneSurrogateReason() {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: #""\ude00""#)
        }
        #expect(error?.reason == .invalidUnicodeEscape)
    }

    @Test("Unknown escapes are rejected", arguments: [#""\x""#, #""\a""#, #""\'""#, #""\U0041""#])
    func rejectsInvalidEscape(json: String) {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
        #expect(error?.reason == .invalidEscape)
    }

    @Test("Unescaped control characters in strings are rejected", arguments: [
        "\"a\u{0}b\"", "\"a\nb\"", "\"\t\"", "\"\u{1F}\"", "\"\\n\u{01}\"",
    ])
    func rejectsControlCharacters(json: String) {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
        #expect(error?.reason == .controlCharacterInString)
    }

    // MARK: Malformed documents

    @Test("Content after the value is rejected", arguments: ["1 2", "{} {}", "[1]]", "truex", "null,", #""a""b""#, "01", "-01"])
    func rejectsTrailingContent(json: String) {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
        #expect(error?.reason == .trailingContent)
    }

    @Test("Unterminated documents are rejected", arguments: [
        "", "   ", #""abc"#, #""abc\"#, #""\u00"#, "[", "[1", "[1,", "{", #"{"a""#, #"{"a":"#, #"{"a":1"#, #"{"a":1,"#, "tru", "nul",
    ])
    func rejectsUnterminated(json: String) {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
        #expect(error?.reason == .unexpectedEnd)
    }

    @Test("Invalid numbers are rejected", arguments: ["01", "1.", "-", "1e", "1e+", "-.5", ".5", "+1", "1.e3", "--1", "0x10", "NaN", "Infinity"])
    func rejectsInvalidNumbers(json: String) {
        #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
    }

    @Test("Number syntax errors report an invalid number", arguments: ["1.", "-", "1e", "1e-", "-x"])
    func invalidNumberReason(json: String) {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
        #expect(error?.reason == .invalidNumber)
    }

    @Test("Other malformed documents are rejected", arguments: [
        "[1,]", "[,1]", "{,}", #"{"a":1,}"#, "{a:1}", "{'a':1}", #"{"a" 1}"#, #"["a":1]"#, "[1 2]", "True", "nulL", "'a'", "undefined",
    ])
    func rejectsMalformed(json: String) {
        #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
    }

    @Test("The error offset points at the offending byte")
    func errorOffset() {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: "[1,2,x]")
        }
        #expect(error?.reason == .unexpectedCharacter(UInt8(ascii: "x")))
        #expect(error?.offset == 5)
    }

    // MARK: Depth

    static func nestedArrays(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test("128 levels of nesting are accepted")
    func acceptsMaximumDepth() throws {
        #expect(JSONParser.maximumDepth == 128)
        var value = try SocketIOValue(json: Self.nestedArrays(128))
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(depth == 128)
        let objects = try SocketIOValue(json: String(repeating: #"{"a":"#, count: 127) + "[]" + String(repeating: "}", count: 127))
        #expect(objects["a"] != nil)
    }

    @Test("129 levels of nesting are rejected", arguments: [
        nestedArrays(129),
        nestedArrays(100_000),
        String(repeating: #"{"a":"#, count: 129) + "1" + String(repeating: "}", count: 129),
        String(repeating: "[", count: 129),
    ])
    func rejectsTooDeep(json: String) {
        let error = #expect(throws: JSONParsingError.self) {
            try SocketIOValue(json: json)
        }
        #expect(error?.reason == .tooDeeplyNested(limit: 128))
    }

    @Test("Depth counts nesting, not the number of containers")
    func manySiblingsAreFine() throws {
        let json = "[" + Array(repeating: "[[]]", count: 1000).joined(separator: ",") + "]"
        #expect(try SocketIOValue(json: json).arrayValue?.count == 1000)
    }

    @Test("Parses from a substring")
    func parsesSubstring() throws {
        let text = #"2["hello",1]"#
        #expect(try SocketIOValue(json: text.dropFirst()) == ["hello", 1])
    }

    @Test("Bytes that are not UTF-8 inside a string are refused at the string's first byte", arguments: [
        (bytes: [0x22, 0xFF, 0x22] as [UInt8], offset: 1),
        (bytes: Array(#"["ok","a\n"#.utf8) + [0xC3, 0x22, 0x5D], offset: 7),
        (bytes: Array(#"{"key":"#.utf8) + [0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D], offset: 8),
    ])
    func refusesInvalidUTF8(bytes: [UInt8], offset: Int) {
        let error = #expect(throws: JSONParsingError.self) {
            try JSONParser.parse(bytes, as: SocketIOValue.JSONBuilder.self)
        }
        #expect(error?.reason == .invalidUTF8)
        #expect(error?.offset == offset)
        #expect(error?.description == "string is not valid UTF-8 at byte \(offset)")
    }

    @Test("Bytes and text parse alike")
    func bytesAndText() throws {
        let json = #" {"a":[1,2.5,"é\u00e9\ud83d\ude00",true,null]} "#
        #expect(try JSONParser.parse(Array(json.utf8), as: SocketIOValue.JSONBuilder.self) == SocketIOValue(json: json))
        #expect(try SocketIOValue(json: json)["a"]?.arrayValue?[2] == "éé😀")
    }
}
