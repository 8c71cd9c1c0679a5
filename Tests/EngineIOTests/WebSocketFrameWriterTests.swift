import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import EngineIO

/// Decodes what the writer produced with NIO's own frame decoder: an independent reading of RFC 6455.
private func decoded(_ bytes: ByteBuffer) throws -> [WebSocketFrame] {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
    try channel.writeInbound(bytes)
    var frames: [WebSocketFrame] = []
    while let frame: WebSocketFrame = try channel.readInbound() { frames.append(frame) }
    _ = try channel.finish()
    return frames
}

@Suite("Websocket frames written by the server")
struct WebSocketFrameWriterTests {
    @Test("Every length class reads back as one final, unmasked frame", arguments: [0, 1, 125, 126, 127, 65_535, 65_536, 200_000])
    func lengthClasses(length: Int) throws {
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: length)
        var bytes = ByteBuffer()
        WebSocketFrameWriter.write(.binary, payload: payload, into: &bytes)
        #expect(bytes.readableBytes == WebSocketFrameWriter.headerSize(payloadLength: length) + length)
        let frames = try decoded(bytes)
        #expect(frames.count == 1)
        #expect(frames.first?.fin == true)
        #expect(frames.first?.opcode == .binary)
        #expect(frames.first?.maskKey == nil)
        #expect(frames.first?.data == payload)
    }

    @Test("Engine.IO frames become text and binary frames, back to back, in order")
    func engineIOFrames() throws {
        let frames: [EngineIOFrame] = [.message("2[\"a\"]"), .binary(buffer([1, 2, 3])), EngineIOPacket.ping("").frame]
        var bytes = ByteBuffer()
        for frame in frames { WebSocketFrameWriter.write(frame, into: &bytes) }
        #expect(bytes.readableBytes == WebSocketFrameWriter.encodedSize(of: frames))
        let read = try decoded(bytes)
        #expect(read.map(\.opcode) == [.text, .binary, .text])
        #expect(read.map { String(buffer: $0.data) } == frames.map(frameString))
    }

    @Test("A close frame carries its status code")
    func closeFrame() throws {
        let read = try decoded(WebSocketFrameWriter.close(.goingAway, allocator: ByteBufferAllocator()))
        #expect(read.count == 1)
        #expect(read.first?.opcode == .connectionClose)
        var data = read.first?.data ?? ByteBuffer()
        #expect(data.readWebSocketErrorCode() == .goingAway)
    }

    @Test("Shared frames hold the same frames encoded for the websocket")
    func sharedFrames() throws {
        let frames: [EngineIOFrame] = [.message("2[\"transaction_success\"]"), .message("2[\"payment_confirmed\"]")]
        let shared = EngineIOSharedFrames(frames)
        #expect(shared.frames == frames)
        #expect(try decoded(shared.webSocketBytes).map { String(buffer: $0.data) } == frames.map(frameString))
    }
}
