import NIOCore

/// Frames that many sessions receive as they are (a broadcast), encoded once for every
/// transport: each recipient's queue holds a reference to the same bytes, and a websocket
/// writes them with one buffer, whatever the number of frames, with no work per recipient.
public final class EngineIOSharedFrames: Sendable {
    /// The Engine.IO frames, in order, for a polling transport.
    public let frames: [EngineIOFrame]
    /// The same frames as websocket frames, back to back.
    let webSocketBytes: ByteBuffer

    /// Encodes the frames for both transports, once.
    /// - Parameter frames: The frames every recipient gets, in order.
    public init(_ frames: [EngineIOFrame]) {
        self.frames = frames
        var bytes = ByteBufferAllocator().buffer(capacity: WebSocketFrameWriter.encodedSize(of: frames))
        for frame in frames { WebSocketFrameWriter.write(frame, into: &bytes) }
        self.webSocketBytes = bytes
    }
}
