import NIOCore
import Testing

@testable import EngineIO

@Suite("Polling payload")
struct PollingPayloadTests {
    // MARK: Decoding

    @Test("A body with one text packet")
    func decodesOnePacket() throws {
        #expect(try PollingPayload.decode(buffer("4hello")) == [.message(.text("hello"))])
    }

    @Test("Packets separated by the record separator 0x1E, in order")
    func decodesSeveralPackets() throws {
        let packets = try PollingPayload.decode(buffer("4hello\u{1e}4world\u{1e}3\u{1e}1"))
        #expect(packets == [.message(.text("hello")), .message(.text("world")), .pong(""), .close])
    }

    @Test("Mixed text and base64 binary records")
    func decodesMixedTextAndBinary() throws {
        let packets = try PollingPayload.decode(buffer("4hello\u{1e}bAQIDBA=="))
        #expect(packets == [.message(.text("hello")), .message(.binary(buffer([1, 2, 3, 4])))])
    }

    @Test("A binary record between text records")
    func decodesBinaryBetweenText() throws {
        let packets = try PollingPayload.decode(buffer("451-[\"upload\",{\"_placeholder\":true,\"num\":0}]\u{1e}bAP8=\u{1e}2probe"))
        #expect(packets == [
            .message(.text("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]")),
            .message(.binary(buffer([0x00, 0xFF]))),
            .ping("probe"),
        ])
    }

    @Test("Non-ASCII text survives decoding")
    func decodesUnicode() throws {
        #expect(try PollingPayload.decode(buffer("4héllo ✓\u{1e}4😀")) == [.message(.text("héllo ✓")), .message(.text("😀"))])
    }

    @Test("A message whose text starts with a combining character keeps it")
    func decodesLeadingCombiningCharacter() throws {
        let packets = try PollingPayload.decode(buffer("4\u{301}abc\u{1e}4ok"))
        #expect(packets == [.message(.text("\u{301}abc")), .message(.text("ok"))])
    }

    @Test("Only the readable bytes of the buffer are decoded")
    func decodesReadableBytesOnly() throws {
        var body = buffer("garbage4hello")
        body.moveReaderIndex(forwardBy: 7)
        #expect(try PollingPayload.decode(body) == [.message(.text("hello"))])
    }

    @Test("An empty body is invalid")
    func rejectsEmptyBody() {
        #expect(throws: EngineIOPacketDecodingError.empty) {
            try PollingPayload.decode(ByteBuffer())
        }
    }

    @Test("Invalid base64 in a binary record", arguments: ["b!!!!", "bAQIDBA=\u{1e}4x", "4x\u{1e}b@@@@"])
    func rejectsInvalidBase64(body: String) {
        #expect(throws: EngineIOPacketDecodingError.invalidBase64) {
            try PollingPayload.decode(buffer(body))
        }
    }

    @Test("One invalid record makes the whole payload invalid", arguments: [
        ("4hello\u{1e}9", EngineIOPacketDecodingError.unknownPacketType("9")),
        ("9\u{1e}4hello", EngineIOPacketDecodingError.unknownPacketType("9")),
        ("4hello\u{1e}\u{1e}4world", EngineIOPacketDecodingError.empty),
        ("4hello\u{1e}", EngineIOPacketDecodingError.empty),
        ("\u{1e}4hello", EngineIOPacketDecodingError.empty),
        ("4hello\u{1e}6x", EngineIOPacketDecodingError.unexpectedData(packetType: "6")),
    ])
    func rejectsPayloadWithInvalidRecord(body: String, error: EngineIOPacketDecodingError) {
        #expect(throws: error) {
            try PollingPayload.decode(buffer(body))
        }
    }

    // MARK: Encoding

    @Test("Encodes frames joined by 0x1E, binary as b + base64", arguments: [
        ([EngineIOFrame.message("hello")], "4hello"),
        ([.message("hello"), .message("world")], "4hello\u{1e}4world"),
        ([.message("hello"), .binary(buffer([1, 2, 3, 4]))], "4hello\u{1e}bAQIDBA=="),
        ([.binary(buffer([0xFF])), .binary(buffer([0x00, 0xFF]))], "b/w==\u{1e}bAP8="),
        ([EngineIOPacket.ping("").frame, EngineIOPacket.noop.frame], "2\u{1e}6"),
        ([EngineIOPacket.open(#"{"sid":"x"}"#).frame], #"0{"sid":"x"}"#),
        ([.message("héllo ✓")], "4héllo ✓"),
        ([], ""),
    ])
    func encodes(frames: [EngineIOFrame], expected: String) {
        #expect(String(buffer: PollingPayload.encode(frames)) == expected)
    }

    @Test("Encoding then decoding gives back the packets")
    func roundTrip() throws {
        let packets: [EngineIOPacket] = [
            .open(#"{"sid":"abc"}"#), .message(.text("hello")), .message(.binary(buffer(Array(0...255)))),
            .ping(""), .pong("probe"), .noop, .upgrade, .close, .message(.text("")),
        ]
        let body = PollingPayload.encode(packets.map(\.frame))
        #expect(try PollingPayload.decode(body) == packets)
    }
}
