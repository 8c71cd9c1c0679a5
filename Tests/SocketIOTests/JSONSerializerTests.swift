import NIOCore
import Testing

@testable import SocketIO

@Suite("JSON serializer")
struct JSONSerializerTests {
    @Test("Literals and integers", arguments: [
        (SocketIOValue.null, "null"),
        (.bool(true), "true"),
        (.bool(false), "false"),
        (.int(0), "0"),
        (.int(42), "42"),
        (.int(-7), "-7"),
        (.int(Int.max), "9223372036854775807"),
        (.int(Int.min), "-9223372036854775808"),
    ])
    func literalsAndIntegers(value: SocketIOValue, expected: String) {
        #expect(value.jsonString == expected)
    }

    /// Each expected string is what `JSON.stringify(x)` prints in Node.js.
    @Test("Doubles are printed the way JavaScript prints numbers", arguments: [
        (1.5, "1.5"),
        (0.1, "0.1"),
        (-0.25, "-0.25"),
        (0.1 + 0.2, "0.30000000000000004"),
        (123.456, "123.456"),
        (1.0, "1"),
        (-0.0, "0"),
        (100.0, "100"),
        (9007199254740992.0, "9007199254740992"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (-1e21, "-1e+21"),
        (1.5e300, "1.5e+300"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (1e-7, "1e-7"),
        (-1e-7, "-1e-7"),
        (1.5e-10, "1.5e-10"),
        (5e-324, "5e-324"),
        (0.001, "0.001"),
        (0.0001, "0.0001"),
    ])
    func doubles(value: Double, expected: String) {
        #expect(SocketIOValue.double(value).jsonString == expected)
        #expect(JSONSerializer.javascriptNumber(value) == expected)
    }

    /// JavaScript switches to exponent notation only below 1e-6 and from 1e21 up, and prints the
    /// shortest round-tripping digits padded with zeros in between.
    @Test("Doubles near JavaScript's notation thresholds", arguments: [
        (0.00001, "0.00001"),
        (0.000015, "0.000015"),
        (0.000001, "0.000001"),
        (0.0000012, "0.0000012"),
        (123456789012345680000.0, "123456789012345680000"),
        (1.2345e20, "123450000000000000000"),
        (1152921504606846976.0, "1152921504606847000"),  // 2^60
        (9223372036854775808.0, "9223372036854776000"),  // 2^63
    ])
    func doublesNearThresholds(value: Double, expected: String) {
        #expect(SocketIOValue.double(value).jsonString == expected)
    }

    @Test("An integer too big for Int is printed as JavaScript prints the parsed number")
    func bigIntegerFromParser() throws {
        // JSON.stringify(JSON.parse("12345678901234567890")) === "12345678901234567000"
        let parsed = try SocketIOValue(json: "12345678901234567890")
        #expect(parsed == .double(12345678901234567890.0))
        #expect(parsed.jsonString == "12345678901234567000")
    }

    @Test("NaN and the infinities become null", arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteNumbers(value: Double) {
        #expect(SocketIOValue.double(value).jsonString == "null")
        #expect(SocketIOValue.array([.double(value)]).jsonString == "[null]")
    }

    @Test("Strings are escaped like JSON.stringify", arguments: [
        ("", #""""#),
        ("hello", #""hello""#),
        (#"he said "hi""#, #""he said \"hi\"""#),
        (#"back\slash"#, #""back\\slash""#),
        ("line\nbreak", #""line\nbreak""#),
        ("\u{08}\u{0C}\r\t", #""\b\f\r\t""#),
        ("\u{01}", #""\u0001""#),
        ("\u{0}", #""\u0000""#),
        ("\u{1F}", #""\u001f""#),
        ("a\u{1B}[0m", #""a\u001b[0m""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("a/b", #""a/b""#),
        ("héllo ✓ 😀", #""héllo ✓ 😀""#),
        ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""),
    ])
    func strings(value: String, expected: String) {
        #expect(SocketIOValue.string(value).jsonString == expected)
    }

    @Test("Arrays and objects are compact, objects keep key order")
    func containers() {
        #expect(SocketIOValue.array([]).jsonString == "[]")
        #expect(([:] as SocketIOValue).jsonString == "{}")
        #expect(SocketIOValue(arrayLiteral: 1, "a", nil, true, 1.5).jsonString == #"[1,"a",null,true,1.5]"#)
        let object: SocketIOValue = ["zebra": 1, "apple": ["x": [], "y": [:]], "mango": nil]
        #expect(object.jsonString == #"{"zebra":1,"apple":{"x":[],"y":{}},"mango":null}"#)
    }

    @Test("Object keys are escaped")
    func escapedKeys() {
        let object: SocketIOValue = ["a\"b": 1, "c\nd": 2]
        #expect(object.jsonString == #"{"a\"b":1,"c\nd":2}"#)
    }

    @Test("Binary values become numbered placeholders and are collected as attachments")
    func binaryPlaceholders() {
        let first = ByteBuffer(bytes: [1, 2])
        let second = ByteBuffer(bytes: [3])
        let value: SocketIOValue = ["upload", ["file": .binary(first)], [.binary(second)]]
        var serializer = JSONSerializer()
        var buffer = ByteBuffer()
        serializer.write(value, into: &buffer)
        #expect(String(buffer: buffer) == #"["upload",{"file":{"_placeholder":true,"num":0}},[{"_placeholder":true,"num":1}]]"#)
        #expect(serializer.attachments == [first, second])
        #expect(value.jsonString == String(buffer: buffer))
    }

    @Test("Parsing then serializing gives back the same text", arguments: [
        "null", "true", "false", "0", "-1", "42", "9223372036854775807", "1.5", "-0.25", "0.1", "1e+21", "1e-7",
        #""""#, #""plain""#, #""q\"b\\n\n\t\r\b\f\u0001\u001f""#, #""héllo ✓ 😀""#,
        "[]", "{}", "[[],{},[[]]]",
        #"[1,"a",null,true,false,2.5]"#,
        #"{"b":1,"a":2,"c":{"z":[1,{"y":null}],"x":"w"}}"#,
        #"["hello",{"bookingId":"b-1","amount":1250.75,"paid":false,"items":[{"id":1},{"id":2}]}]"#,
        #"{"_placeholder":true,"num":0}"#,
    ])
    func roundTrip(json: String) throws {
        #expect(try SocketIOValue(json: json).jsonString == json)
    }

    @Test("Serializing then parsing gives back the same value")
    func valueRoundTrip() throws {
        let value: SocketIOValue = [
            "string": "a \"quoted\"\n\u{01}😀", "int": 7, "double": 0.5, "big": 1e300, "tiny": 1e-300,
            "list": [true, false, nil, [:], []], "nested": ["deeper": ["deepest": -3]],
        ]
        #expect(try SocketIOValue(json: value.jsonString) == value)
    }
}
