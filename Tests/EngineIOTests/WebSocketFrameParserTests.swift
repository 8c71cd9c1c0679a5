import NIOCore
import NIOWebSocket
import Testing

@testable import EngineIO

/// A frame as a client sends it: masked with `key`, its length in the shortest form unless
/// `lengthBytes` forces the 16- or 64-bit one.
private func clientFrame(
    _ opcode: UInt8,
    _ payload: [UInt8],
    fin: Bool = true,
    reserved: UInt8 = 0,
    masked: Bool = true,
    lengthBytes: Int? = nil,
    key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
) -> [UInt8] {
    var bytes: [UInt8] = [(fin ? 0x80 : 0) | reserved << 4 | opcode]
    let maskBit: UInt8 = masked ? 0x80 : 0
    switch lengthBytes ?? (payload.count < 126 ? 0 : payload.count <= 0xFFFF ? 2 : 8) {
    case 0:
        bytes.append(maskBit | UInt8(payload.count))
    case 2:
        bytes.append(maskBit | 126)
        bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    default:
        bytes.append(maskBit | 127)
        bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
    }
    guard masked else { return bytes + payload }
    return bytes + key + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
}

private func parse(_ chunks: [[UInt8]], maximumFrameSize: Int = 1 << 20) throws(WebSocketFrameParser.Failure) -> [WebSocketFrame] {
    var parser = WebSocketFrameParser(maximumFrameSize: maximumFrameSize)
    var frames: [WebSocketFrame] = []
    for chunk in chunks {
        parser.append(ByteBuffer(bytes: chunk))
        while let frame = try parser.nextFrame(allocator: ByteBufferAllocator()) { frames.append(frame) }
    }
    return frames
}

@Suite("Websocket frames read from a client's bytes")
struct WebSocketFrameParserTests {
    @Test("A masked text frame reads back unmasked, with its flags")
    func textFrame() throws {
        let frames = try parse([clientFrame(0x1, Array("4hello".utf8), reserved: 0b100)])
        #expect(frames.count == 1)
        let frame = try #require(frames.first)
        #expect(frame.fin && frame.rsv1 && !frame.rsv2 && !frame.rsv3)
        #expect(frame.opcode == .text)
        #expect(frame.maskKey == nil)
        #expect(String(buffer: frame.unmaskedData) == "4hello")
    }

    @Test("Every length form reads back", arguments: [0, 1, 125, 126, 65_535, 65_536, 200_000])
    func lengths(count: Int) throws {
        let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let frames = try parse([clientFrame(0x2, payload)])
        #expect(frames.map { Array($0.data.readableBytesView) } == [payload])
    }

    @Test("A short payload sent with a 64-bit length is still one frame")
    func longFormForShortPayload() throws {
        #expect(try parse([clientFrame(0x2, [1, 2, 3], lengthBytes: 8)]).map { Array($0.data.readableBytesView) } == [[1, 2, 3]])
    }

    @Test("Frames split anywhere, and several in one read, come out once each, in order")
    func splitAndCoalesced() throws {
        let stream = clientFrame(0x1, Array("40".utf8)) + clientFrame(0x9, [7], fin: true) + clientFrame(0x1, Array(repeating: 0x61, count: 300), fin: false)
            + clientFrame(0x0, Array("end".utf8))
        for split in 0...stream.count {
            let frames = try parse([Array(stream[..<split]), Array(stream[split...])])
            #expect(frames.map(\.opcode) == [.text, .ping, .text, .continuation], "split at \(split)")
            #expect(frames.map(\.fin) == [true, true, false, true])
            #expect(frames.last.map { String(buffer: $0.data) } == "end")
        }
        let byteByByte = try parse(stream.map { [$0] })
        #expect(byteByByte.count == 4)
        #expect(byteByByte[2].data.readableBytes == 300)
    }

    @Test(
        "Frames a client may not send are refused",
        arguments: [
            ("unmasked", clientFrame(0x1, [0x41], masked: false)),
            ("reserved data opcode", clientFrame(0x3, [])),
            ("reserved control opcode", clientFrame(0xB, [])),
            ("fragmented control frame", clientFrame(0x9, [1], fin: false)),
            ("control frame over 125 bytes", clientFrame(0x8, Array(repeating: 0, count: 126))),
            ("64-bit length with its top bit set", [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1]),
        ]
    )
    func refused(name: String, bytes: [UInt8]) {
        #expect(throws: WebSocketFrameParser.Failure.malformed, "\(name)") { try parse([bytes]) }
    }

    @Test("A frame over the limit is refused from its header, before its payload arrives")
    func tooLarge() throws {
        let header = Array(clientFrame(0x2, Array(repeating: 0, count: 1_001)).prefix(4))
        #expect(throws: WebSocketFrameParser.Failure.tooLarge) { try parse([header], maximumFrameSize: 1_000) }
        #expect(try parse([clientFrame(0x2, Array(repeating: 0, count: 1_000))], maximumFrameSize: 1_000).count == 1)
    }
}
