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
    let session: EngineIOSession
    /// Batches this stream's writes with those of the other streams on its channel's loop.
    private let batcher: EventLoopWriteBatcher
    private let closeSent = Atomic<Bool>(false)
    /// How long the client has to answer our close frame before the connection is cut.
    static let closeGracePeriod = TimeAmount.seconds(2)

    init(channel: any Channel, session: EngineIOSession, batcher: EventLoopWriteBatcher) {
        self.channel = channel
        self.session = session
        self.batcher = batcher
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
    func writeWaitingFrames() {
        guard self.channel.isWritable || !self.session.isOpen else { return }
        let (frames, finished) = self.session.takeStreamBatch()
        for frame in frames {
            self.channel.write(WebSocketFrame(frame), promise: nil)
        }
        if finished {
            self.sendClose(.normalClosure)
        } else if !frames.isEmpty {
            self.channel.flush()
        }
    }

    /// Sends a close frame once, then gives the client a grace period to answer before cutting
    /// the connection (a client that stopped reading never answers).
    func sendClose(_ code: WebSocketErrorCode) {
        guard !self.closeSent.exchange(true, ordering: .relaxed) else { return }
        self.channel.writeAndFlush(WebSocketFrame.close(code, allocator: self.channel.allocator), promise: nil)
        let channel = self.channel
        channel.eventLoop.scheduleTask(in: Self.closeGracePeriod) { channel.close(promise: nil) }
    }
}

extension WebSocketFrame {
    init(_ frame: EngineIOFrame) {
        switch frame {
        case .text(let bytes): self.init(fin: true, opcode: .text, data: bytes)
        case .binary(let bytes): self.init(fin: true, opcode: .binary, data: bytes)
        }
    }

    static func close(_ code: WebSocketErrorCode, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var data = allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
    }
}
