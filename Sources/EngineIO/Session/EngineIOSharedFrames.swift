import NIOCore
import Synchronization

/// Frames that many sessions receive as they are (a broadcast), encoded once for every
/// transport: each recipient's queue holds a reference to the same bytes, and a websocket
/// writes them with one buffer, whatever the number of frames, with no work per recipient.
public final class EngineIOSharedFrames: Sendable {
    /// The Engine.IO frames, in order, for a polling transport.
    public let frames: [EngineIOFrame]
    /// The same frames as websocket frames, back to back.
    let webSocketBytes: ByteBuffer
    /// The same frames for permessage-deflate websockets, compressed by the first to need them:
    /// without context takeover, compression is the same for every recipient.
    private let deflated = Mutex<ByteBuffer?>(nil)
    /// False for frames never to be compressed, whatever their size (Socket.IO's `compress(false)`).
    public let compressible: Bool

    /// Encodes the frames for both transports, once.
    /// - Parameters:
    ///   - frames: The frames every recipient gets, in order.
    ///   - compressible: Whether a permessage-deflate websocket may compress them.
    public init(_ frames: [EngineIOFrame], compressible: Bool = true) {
        self.frames = frames
        self.compressible = compressible
        var bytes = ByteBufferAllocator().buffer(capacity: WebSocketFrameWriter.encodedSize(of: frames))
        for frame in frames { WebSocketFrameWriter.write(frame, into: &bytes) }
        self.webSocketBytes = bytes
    }

    /// The frames as permessage-deflate websocket frames, each over the threshold compressed:
    /// once, on the loop of the first recipient that asks; the others wait and share them.
    func deflatedWebSocketBytes(using compression: WebSocketCompression, allocator: ByteBufferAllocator) -> ByteBuffer {
        guard self.compressible, self.frames.contains(where: compression.compresses) else { return self.webSocketBytes }
        return self.deflated.withLock { deflated in
            if let deflated { return deflated }
            var bytes = allocator.buffer(capacity: self.webSocketBytes.readableBytes)
            compression.write(self.frames, into: &bytes, allocator: allocator)
            deflated = bytes
            return bytes
        }
    }
}
