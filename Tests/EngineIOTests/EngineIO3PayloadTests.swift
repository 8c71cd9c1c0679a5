import NIOCore
import Testing

@testable import EngineIO

@Suite("Engine.IO 3 payloads")
struct EngineIO3PayloadTests {
    // MARK: Decoding text bodies

    @Test("Length-prefixed packets, the lengths in UTF-16 code units as JavaScript counts them")
    func decodesText() throws {
        // "4héllo" is 6 units; "4😀" is 3 (the emoji is a surrogate pair); "2" is 1.
        let packets = try EngineIO3Payload.decodeText(buffer("6:4héllo3:4😀1:2"))
        #expect(packets == [.message(.text("héllo")), .message(.text("😀")), .ping("")])
    }

    @Test("A binary message as text is b4 and base64")
    func decodesBase64Binary() throws {
        #expect(try EngineIO3Payload.decodeText(buffer("10:b4AQIDBA==")) == [.message(.binary(buffer([1, 2, 3, 4])))])
    }

    @Test("An empty record is skipped, as the reference parser does")
    func skipsEmptyRecords() throws {
        #expect(try EngineIO3Payload.decodeText(buffer("0:1:2")) == [.ping("")])
    }

    @Test(
        "A body whose lengths do not add up is refused whole",
        arguments: ["4hello", ":4hi", "x:4hi", "-1:4", "9:4hello", "2:4😀", "99999999999:4", "3:4hi3:4h"]
    )
    func refusesBadLengths(body: String) {
        #expect(throws: EngineIOPacketDecodingError.invalidLength) {
            try EngineIO3Payload.decodeText(buffer(body))
        }
    }

    @Test("Refusals of what is inside a well-framed record")
    func refusesBadRecords() {
        #expect(throws: EngineIOPacketDecodingError.empty) { try EngineIO3Payload.decodeText(ByteBuffer()) }
        #expect(throws: EngineIOPacketDecodingError.unknownPacketType("9")) { try EngineIO3Payload.decodeText(buffer("2:9x")) }
        #expect(throws: EngineIOPacketDecodingError.unknownPacketType("2")) { try EngineIO3Payload.decodeText(buffer("6:b2AQID")) }
        #expect(throws: EngineIOPacketDecodingError.invalidBase64) { try EngineIO3Payload.decodeText(buffer("5:b4!!!")) }
    }

    // MARK: Decoding binary bodies

    @Test("Binary bodies: a text record, then a binary one led by its type byte")
    func decodesBinary() throws {
        let text = Array("451-[\"up\",{\"_placeholder\":true,\"num\":0}]".utf8)
        let lengthDigits = String(text.count).utf8.map { $0 - UInt8(ascii: "0") }
        let body = [0] + lengthDigits + [0xFF] + text + [1, 4, 0xFF, 4, 0, 255, 7]
        let packets = try EngineIO3Payload.decodeBinary(buffer(body))
        #expect(packets == [.message(.text(String(decoding: text.dropFirst(), as: UTF8.self))), .message(.binary(buffer([0, 255, 7])))])
    }

    @Test(
        "Binary bodies that are not well framed are refused",
        arguments: [[2, 1, 0xFF, 0x32], [0, 1], [0, 0xFF, 0x32], [0, 5, 0xFF, 0x32], [0, 1, 10, 0xFF, 0x32], [0] + [UInt8](repeating: 1, count: 12) + [0xFF]] as [[UInt8]]
    )
    func refusesBadBinary(body: [UInt8]) {
        #expect(throws: EngineIOPacketDecodingError.invalidLength) {
            try EngineIO3Payload.decodeBinary(buffer(body))
        }
    }

    @Test("A binary record of any type but message is refused")
    func refusesBinaryOfOtherTypes() {
        #expect(throws: EngineIOPacketDecodingError.unknownPacketType("2")) {
            try EngineIO3Payload.decodeBinary(buffer([1, 2, 0xFF, 2, 9]))
        }
    }

    // MARK: Encoding

    @Test("Text frames are length-prefixed in UTF-16 units; binary ones b4 and base64 without binary support")
    func encodesText() {
        let frames: [EngineIOFrame] = [EngineIOFrame.message("héllo 😀"), EngineIOPacket.pong("").frame, .binary(buffer([1, 2, 3, 4]))]
        let (body, isBinary) = EngineIO3Payload.encode(frames, supportsBinary: false)
        #expect(!isBinary)
        #expect(String(buffer: body) == "9:4héllo 😀1:310:b4AQIDBA==")
    }

    @Test("With binary support and a binary frame, the body is binary: markers, digit bytes, 0xFF")
    func encodesBinary() {
        let frames: [EngineIOFrame] = [EngineIOFrame.message("é"), .binary(buffer([9, 8]))]
        let (body, isBinary) = EngineIO3Payload.encode(frames, supportsBinary: true)
        #expect(isBinary)
        #expect(Array(body.readableBytesView) == [0, 3, 0xFF, UInt8(ascii: "4"), 0xC3, 0xA9, 1, 3, 0xFF, 4, 9, 8])
    }

    @Test("Without a binary frame, a client with binary support still gets text")
    func textWhenNothingIsBinary() {
        let (body, isBinary) = EngineIO3Payload.encode([EngineIOFrame.message("hi")], supportsBinary: true)
        #expect(!isBinary)
        #expect(String(buffer: body) == "3:4hi")
    }

    @Test("What the encoder writes, the decoders read back", arguments: [false, true])
    func roundTrips(supportsBinary: Bool) throws {
        let packets: [EngineIOPacket] = [.message(.text("ünïcödé 😀 ✓")), .message(.binary(buffer([0, 1, 254, 255]))), .pong("probe"), .noop]
        let (body, isBinary) = EngineIO3Payload.encode(packets.map(\.frame), supportsBinary: supportsBinary)
        #expect(isBinary == supportsBinary)
        let decoded = isBinary ? try EngineIO3Payload.decodeBinary(body) : try EngineIO3Payload.decodeText(body)
        #expect(decoded == packets)
    }

    // MARK: Websocket

    @Test("On a websocket, a binary message is led by the message type byte; text frames are unchanged")
    func webSocketFrames() throws {
        #expect(EngineIO3Payload.webSocketFrame(.binary(buffer([7, 7]))) == .binary(buffer([4, 7, 7])))
        #expect(EngineIO3Payload.webSocketFrame(EngineIOFrame.message("x")) == EngineIOFrame.message("x"))
        #expect(try EngineIO3Payload.decodeBinaryPacket(buffer([4, 7, 7])) == .message(.binary(buffer([7, 7]))))
        #expect(throws: EngineIOPacketDecodingError.empty) { try EngineIO3Payload.decodeBinaryPacket(ByteBuffer()) }
    }

    @Test("UTF-16 length of UTF-8 text", arguments: [("", 0), ("abc", 3), ("é", 1), ("✓", 1), ("😀", 2), ("a😀é", 4)])
    func utf16Count(text: String, expected: Int) {
        #expect(EngineIO3Payload.utf16Count(buffer(text)) == expected)
        #expect(text.utf16.count == expected)
    }
}
