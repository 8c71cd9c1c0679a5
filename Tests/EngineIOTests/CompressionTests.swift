import HTTPTypes
import NIOCore
import Testing

@testable import EngineIO

@Suite("Compression: zlib streams, permessage-deflate negotiation, Accept-Encoding, volatile sends")
struct CompressionTests {
    private let allocator = ByteBufferAllocator()

    @Test("A message deflated for a websocket inflates back, message after message on the same streams")
    func roundTrip() throws {
        let compression = WebSocketCompression(settings: .init())
        for text in ["hello", String(repeating: "fare 25000 VND; ", count: 500), "ü€😀" + String(repeating: "x", count: 3000)] {
            let compressed = compression.compress(ByteBuffer(string: text), allocator: self.allocator)
            let restored = try compression.decompress(compressed, maximumSize: 1_000_000, allocator: self.allocator)
            #expect(String(buffer: restored) == text)
        }
    }

    @Test("Inflating stops at the size limit; corrupt data is refused; a message exactly at the limit passes")
    func inflateLimits() throws {
        let compression = WebSocketCompression(settings: .init())
        let zeros = compression.compress(ByteBuffer(repeating: 0, count: 1_000_000), allocator: self.allocator)
        #expect(zeros.readableBytes < 5_000)
        #expect(throws: ZlibStream.InflateFailure.tooLarge) { try compression.decompress(zeros, maximumSize: 999_999, allocator: self.allocator) }
        #expect(try compression.decompress(zeros, maximumSize: 1_000_000, allocator: self.allocator).readableBytes == 1_000_000)
        #expect(throws: ZlibStream.InflateFailure.corrupt) { try compression.decompress(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF]), maximumSize: 100, allocator: self.allocator) }
        // The streams are usable after a failure.
        let again = compression.compress(ByteBuffer(string: "still fine"), allocator: self.allocator)
        #expect(String(buffer: try compression.decompress(again, maximumSize: 100, allocator: self.allocator)) == "still fine")
    }

    @Test("Frames under the threshold are written as they are; those over it compressed, with RSV1")
    func threshold() {
        let compression = WebSocketCompression(settings: .init(threshold: 100))
        var small = self.allocator.buffer(capacity: 0)
        compression.write([.text(ByteBuffer(string: "4hi"))], into: &small, allocator: self.allocator)
        #expect(small.getInteger(at: 0, as: UInt8.self) == 0x81)
        var large = self.allocator.buffer(capacity: 0)
        compression.write([.text(ByteBuffer(string: "4" + String(repeating: "a", count: 500)))], into: &large, allocator: self.allocator)
        #expect(large.getInteger(at: 0, as: UInt8.self) == 0xC1)
        #expect(large.readableBytes < 100)
    }

    @Test("A broadcast's frames are compressed once and shared; frames marked not compressible never are")
    func sharedFrames() {
        let compression = WebSocketCompression(settings: .init())
        let large = EngineIOFrame.text(ByteBuffer(string: "4" + String(repeating: "ab", count: 2000)))
        let shared = EngineIOSharedFrames([large])
        let first = shared.deflatedWebSocketBytes(using: compression, allocator: self.allocator)
        #expect(first.readableBytes < shared.webSocketBytes.readableBytes)
        #expect(first.getInteger(at: 0, as: UInt8.self) == 0xC1)
        #expect(shared.deflatedWebSocketBytes(using: compression, allocator: self.allocator) == first)
        let plain = EngineIOSharedFrames([large], compressible: false)
        #expect(plain.deflatedWebSocketBytes(using: compression, allocator: self.allocator) == plain.webSocketBytes)
    }

    @Test("Offers accepted and declined", arguments: [
        ("permessage-deflate", true),
        ("permessage-deflate; client_max_window_bits", true),
        ("permessage-deflate; client_max_window_bits=12; server_no_context_takeover", true),
        ("permessage-deflate; server_max_window_bits=15", true),
        ("x-webkit-deflate-frame, permessage-deflate", true),
        ("permessage-deflate; server_max_window_bits=10", false),
        ("permessage-deflate; server_max_window_bits", false),
        ("permessage-deflate; client_max_window_bits=16", false),
        ("permessage-deflate; client_no_context_takeover=1", false),
        ("permessage-deflate; mystery", false),
        ("permessage-deflate; client_no_context_takeover; client_no_context_takeover", false),
        ("x-webkit-deflate-frame", false),
        ("", false),
    ])
    func negotiation(offer: String, accepted: Bool) {
        #expect(WebSocketDeflateNegotiation.accepts(offers: offer) == accepted)
    }

    @Test("Accept-Encoding: gzip first, deflate next, q=0 refuses, * accepts", arguments: [
        ("gzip, deflate, br", HTTPResponseCompressor.Encoding.gzip),
        ("deflate", .deflate),
        ("gzip;q=0, deflate", .deflate),
        ("br, *", .gzip),
        ("*;q=0.5, gzip;q=0", .deflate),
    ])
    func acceptEncoding(header: String, expected: HTTPResponseCompressor.Encoding) {
        #expect(HTTPResponseCompressor.preferredEncoding(header) == expected)
    }

    @Test("Nothing acceptable: no compression", arguments: ["identity", "br", "gzip;q=0, deflate;q=0", ""])
    func nothingAcceptable(header: String) {
        #expect(HTTPResponseCompressor.preferredEncoding(header) == nil)
    }

    @Test("A volatile send is dropped while no transport waits for frames, and queued once one does")
    func volatileSend() async throws {
        let server = EngineIOServer { _ in NoDelegate() }
        let session = server.openInProcessSession(EngineIOConnectionRequest(path: "/socket.io/", query: [:], headers: [:], remoteAddress: nil, transport: .websocket))
        #expect(!session.sendIfWritable([.text(ByteBuffer(string: "4stale"))]), "no reader waiting")
        let reader = Task { await session.nextFrames() }
        var sent = false
        for _ in 0..<200 where !sent {
            try await Task.sleep(for: .milliseconds(5))
            sent = session.sendIfWritable([.text(ByteBuffer(string: "4fresh"))])
        }
        #expect(sent)
        let frames = await reader.value
        #expect(frames == [.text(ByteBuffer(string: "4fresh"))])
        session.close()
    }
}

private struct NoDelegate: EngineIOSessionDelegate {
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {}
    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
}
