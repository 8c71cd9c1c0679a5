import NIOCore
import Testing

@testable import EngineIO

@Suite("Engine.IO packet codec")
struct EngineIOPacketCodecTests {
    static let decodingCases: [(text: String, packet: EngineIOPacket)] = [
        (#"0{"sid":"abc","upgrades":["websocket"]}"#, .open(#"{"sid":"abc","upgrades":["websocket"]}"#)),
        ("0", .open("")),
        ("1", .close),
        ("2", .ping("")),
        ("2probe", .ping("probe")),
        ("3", .pong("")),
        ("3probe", .pong("probe")),
        ("4hello", .message(.text("hello"))),
        ("4", .message(.text(""))),
        ("4héllo ✓ 😀", .message(.text("héllo ✓ 😀"))),
        ("44", .message(.text("4"))),
        ("5", .upgrade),
        ("6", .noop),
    ]

    @Test("Decodes every packet type", arguments: decodingCases)
    func decodesPacket(text: String, packet: EngineIOPacket) throws {
        #expect(try EngineIOPacket(decoding: text) == packet)
    }

    /// The type is one byte; the data is everything after it, even when the data starts with a
    /// character that Swift would merge with the digit into one `Character` (a combining accent,
    /// a variation selector, a keycap, a zero-width joiner).
    @Test("Data starting with a combining character is kept whole", arguments: [
        ("U+0301 combining acute + abc", "\u{301}abc"),
        ("U+FE0F U+20E3 keycap sequence", "\u{FE0F}\u{20E3}"),
        ("U+20E3 combining keycap", "\u{20E3}"),
        ("U+200D zero-width joiner + x", "\u{200D}x"),
    ])
    func keepsLeadingCombiningCharacter(label: String, data: String) throws {
        let message = try EngineIOPacket(decoding: "4" + data)
        #expect(message == .message(.text(data)), "\(label)")
        let ping = try EngineIOPacket(decoding: "2" + data)
        #expect(ping == .ping(data), "\(label)")
        let packet = EngineIOPacket.message(.text(data))
        let roundTripped = try EngineIOPacket(decoding: frameString(packet.frame))
        #expect(roundTripped == packet, "\(label)")
    }

    @Test("Decodes from a substring of a larger string")
    func decodesSubstring() throws {
        let body = "xx4hello"
        let record = body[body.index(body.startIndex, offsetBy: 2)...]
        #expect(try EngineIOPacket(decoding: record) == .message(.text("hello")))
    }

    @Test("Type digits match the wire", arguments: [
        (EngineIOPacket.open(""), "0"), (.close, "1"), (.ping(""), "2"), (.pong(""), "3"),
        (.message(.text("")), "4"), (.upgrade, "5"), (.noop, "6"),
    ])
    func typeDigit(packet: EngineIOPacket, digit: String) {
        #expect(packet.typeDigit == Array(digit.utf8)[0])
    }

    @Test("Encodes text packets as the type digit followed by the data", arguments: decodingCases)
    func encodesTextPacket(text: String, packet: EngineIOPacket) {
        #expect(packet.frame == .text(ByteBuffer(string: text)))
        #expect(packet.frame.byteCount == text.utf8.count)
    }

    @Test("Encoding then decoding gives back the packet", arguments: decodingCases.map(\.packet))
    func roundTrip(packet: EngineIOPacket) throws {
        #expect(try EngineIOPacket(decoding: frameString(packet.frame)) == packet)
    }

    @Test("A binary message is a binary frame of the raw bytes, without a type prefix")
    func encodesBinaryMessage() {
        let bytes = ByteBuffer(bytes: [0x00, 0x01, 0xFF, 0x34])
        let frame = EngineIOPacket.message(.binary(bytes)).frame
        #expect(frame == .binary(bytes))
        #expect(frame.byteCount == 4)
    }

    @Test("EngineIOFrame.message builds the same frame as a message packet")
    func messageShortcuts() {
        #expect(EngineIOFrame.message("hello") == .text(ByteBuffer(string: "4hello")))
        #expect(EngineIOFrame.message("hello") == EngineIOPacket.message(.text("hello")).frame)
        #expect(EngineIOFrame.message(utf8: ByteBuffer(string: "2[\"x\"]")) == .text(ByteBuffer(string: "42[\"x\"]")))
        #expect(EngineIOFrame.message(utf8: ByteBuffer()) == .text(ByteBuffer(string: "4")))
    }

    @Test("An empty packet is rejected")
    func rejectsEmpty() {
        #expect(throws: EngineIOPacketDecodingError.empty) {
            try EngineIOPacket(decoding: "")
        }
    }

    @Test("An unknown packet type is rejected", arguments: [
        ("abc", Character("a")), ("9", "9"), ("x", "x"), ("7", "7"), ("é4", "é"), (" 4", " "),
    ])
    func rejectsUnknownType(text: String, type: Character) {
        #expect(throws: EngineIOPacketDecodingError.unknownPacketType(type)) {
            try EngineIOPacket(decoding: text)
        }
    }

    @Test("A binary message as text: b followed by base64, on either transport")
    func decodesBase64Message() throws {
        #expect(try EngineIOPacket(decoding: "bAAECAwQ=") == .message(.binary(buffer([0, 1, 2, 3, 4]))))
        #expect(try EngineIOPacket(decoding: "b") == .message(.binary(buffer([UInt8]()))))
    }

    @Test("A b packet that is not base64 is rejected", arguments: ["b4", "b!!!!", "bAQIDBA"])
    func rejectsInvalidBase64(text: String) {
        #expect(throws: EngineIOPacketDecodingError.invalidBase64) {
            try EngineIOPacket(decoding: text)
        }
    }

    @Test("close, upgrade and noop carry no data", arguments: [
        ("1x", Character("1")), ("5x", "5"), ("6x", "6"), ("5probe", "5"), ("1 ", "1"), ("6\u{301}", "6"),
    ])
    func rejectsDataOnDatalessPackets(text: String, type: Character) {
        #expect(throws: EngineIOPacketDecodingError.unexpectedData(packetType: type)) {
            try EngineIOPacket(decoding: text)
        }
    }

    @Test("A decoding error's code names its kind whatever its detail, and its description the type character")
    func decodingErrorCode() {
        let error = EngineIOPacketDecodingError.unknownPacketType("9")
        #expect(error.code == .unknownPacketType)
        #expect(error != .unknownPacketType("8"))
        #expect(EngineIOPacketDecodingError.unexpectedData(packetType: "6").code == .unexpectedData)
        #expect(EngineIOPacketDecodingError.empty.code != EngineIOPacketDecodingError.invalidBase64.code)
        #expect(error.description == "unknown Engine.IO packet type '9'")
        #expect(EngineIOPacketDecodingError.unexpectedData(packetType: "6").description == "Engine.IO packet type '6' carries no data")
    }
}
