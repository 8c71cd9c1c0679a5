import NIOCore
import NIOWebSocket

/// An event loop's permessage-deflate streams, shared by its websockets: with no context
/// takeover, a message needs no state from the ones before it, so one compressor and one
/// decompressor per loop serve every connection on it.
///
/// Used only on its event loop (each loop has its own: `EngineIOServer.webSocketCompression`).
final class WebSocketCompression: @unchecked Sendable {
    let settings: EngineIOCompression
    private lazy var deflater = ZlibStream(.rawDeflate(level: Int32(self.settings.level)))
    private lazy var inflater = ZlibStream(.rawInflate)

    init(settings: EngineIOCompression) {
        self.settings = settings
    }

    /// Whether a frame of this size is sent compressed.
    func compresses(_ frame: EngineIOFrame) -> Bool {
        frame.byteCount >= self.settings.threshold
    }

    /// A message's compressed payload, for a frame with RSV1 set.
    func compress(_ payload: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        self.deflater.compress(payload, syncFlush: true, allocator: allocator)
    }

    /// A compressed message's payload, at most `maximumSize` bytes of it.
    func decompress(_ payload: ByteBuffer, maximumSize: Int, allocator: ByteBufferAllocator) throws(ZlibStream.InflateFailure) -> ByteBuffer {
        try self.inflater.decompress(payload, maximumSize: maximumSize, allocator: allocator)
    }

    /// Websocket frames for Engine.IO frames, each compressed when over the threshold.
    func write(_ frames: some Sequence<EngineIOFrame>, into buffer: inout ByteBuffer, allocator: ByteBufferAllocator) {
        for frame in frames {
            guard self.compresses(frame) else {
                WebSocketFrameWriter.write(frame, into: &buffer)
                continue
            }
            switch frame {
            case .text(let bytes): WebSocketFrameWriter.write(.text, payload: self.compress(bytes, allocator: allocator), compressed: true, into: &buffer)
            case .binary(let bytes): WebSocketFrameWriter.write(.binary, payload: self.compress(bytes, allocator: allocator), compressed: true, into: &buffer)
            }
        }
    }
}
