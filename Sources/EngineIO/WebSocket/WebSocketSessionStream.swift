import DequeModule
import NIOCore
import NIOWebSocket
import Synchronization

/// Writes a session's outbound frames to its websocket as they are queued.
///
/// Runs on the channel's event loop and holds no task: an idle websocket session costs its
/// channel and a few objects, nothing parked. While the channel is not writable (the client is
/// not reading), frames stay in the session's bounded queue, so a slow client is closed instead
/// of growing the server's memory.
final class WebSocketSessionStream: OutboundFrameStream {
    let channel: any Channel
    /// Where encoded frames are written (see `EngineIOWebSocketHandler`).
    private let output: NIOLoopBound<ChannelHandlerContext>
    let session: EngineIOSession
    /// Batches this stream's writes with those of the other streams on its channel's loop.
    private let batcher: EventLoopWriteBatcher
    /// The loop's permessage-deflate streams, when the client negotiated the extension.
    private let compression: WebSocketCompression?
    private let closeSent = Atomic<Bool>(false)
    /// How long the client has to answer our close frame before the connection is cut.
    static let closeGracePeriod = TimeAmount.seconds(2)

    init(channel: any Channel, output: NIOLoopBound<ChannelHandlerContext>, session: EngineIOSession, batcher: EventLoopWriteBatcher, compression: WebSocketCompression? = nil) {
        self.channel = channel
        self.output = output
        self.session = session
        self.batcher = batcher
        self.compression = compression
    }

    func framesAvailable() {
        if self.channel.eventLoop.inEventLoop {
            self.writeWaitingFrames()
        } else {
            self.batcher.schedule(self)
        }
    }

    /// Writes what is queued, then ends the websocket if the session is over. Called again when
    /// the channel becomes writable.
    ///
    /// The session's own frames are encoded into one buffer; a broadcast's shared bytes are
    /// written as they are. So a payment's two events reach a socket in one write.
    func writeWaitingFrames() {
        guard self.channel.isWritable || !self.session.isOpen else { return }
        let (items, finished) = self.session.takeStreamBatch()
        let output = self.output.value
        // Engine.IO 3 leads binary messages with their type byte: a broadcast's shared bytes,
        // made for Engine.IO 4, are then no use to it.
        let engineIO3 = self.session.protocolRevision == .v3
        var own: ByteBuffer?
        func writeOwn(_ frame: EngineIOFrame, compressible: Bool = true) {
            let frame = engineIO3 ? EngineIO3Payload.webSocketFrame(frame) : frame
            if own == nil { own = self.channel.allocator.buffer(capacity: WebSocketFrameWriter.encodedSize(of: Self.ownFrames(in: items))) }
            if let compression, compressible {
                compression.write(CollectionOfOne(frame), into: &own!, allocator: self.channel.allocator)
            } else {
                WebSocketFrameWriter.write(frame, into: &own!)
            }
        }
        for item in items {
            switch item {
            case .frame(let frame):
                writeOwn(frame)
            case .shared(let shared) where engineIO3 && shared.frames.contains(where: \.isBinary):
                for frame in shared.frames { writeOwn(frame, compressible: shared.compressible) }
            case .shared(let shared):
                if let pending = own.take() { output.write(NIOAny(pending), promise: nil) }
                output.write(NIOAny(self.compression.map { shared.deflatedWebSocketBytes(using: $0, allocator: self.channel.allocator) } ?? shared.webSocketBytes), promise: nil)
            }
        }
        if let pending = own { output.write(NIOAny(pending), promise: nil) }
        if finished {
            self.sendClose(self.session.closeCode)
        } else if !items.isEmpty {
            output.flush()
        }
    }

    private static func ownFrames(in items: Deque<OutboundItem>) -> some Sequence<EngineIOFrame> {
        items.lazy.compactMap { item in
            if case .frame(let frame) = item { return frame }
            return nil
        }
    }

    /// Sends a close frame once, then gives the client a grace period to answer before cutting
    /// the connection (a client that stopped reading never answers).
    func sendClose(_ code: WebSocketErrorCode) {
        guard !self.closeSent.exchange(true, ordering: .relaxed) else { return }
        self.output.value.writeAndFlush(NIOAny(WebSocketFrameWriter.close(code, allocator: self.channel.allocator)), promise: nil)
        let channel = self.channel
        channel.eventLoop.scheduleTask(in: Self.closeGracePeriod) { channel.close(promise: nil) }
    }
}

