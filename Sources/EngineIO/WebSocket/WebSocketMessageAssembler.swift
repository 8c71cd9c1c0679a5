import NIOCore
import NIOWebSocket

/// Reassembles fragmented websocket messages (RFC 6455 §5.4) up to a size limit.
///
/// Kept in the Engine.IO handler's own state instead of a `NIOWebSocketFrameAggregator` in the
/// pipeline: one channel handler and its context less on every connection.
struct WebSocketMessageAssembler {
    enum Failure: Error, Equatable {
        /// The message grew past the limit (close code 1009).
        case tooLarge
        /// A continuation frame with no message started, or a new message before the last one
        /// ended (close code 1002).
        case outOfOrder
    }

    let maximumSize: Int
    private var partial: (opcode: WebSocketOpcode, data: ByteBuffer)?

    init(maximumSize: Int) {
        self.maximumSize = maximumSize
    }

    /// Takes a text, binary or continuation frame; returns the message it completes, if any.
    mutating func append(_ frame: WebSocketFrame) throws(Failure) -> (opcode: WebSocketOpcode, data: ByteBuffer)? {
        var data = frame.unmaskedData
        if frame.opcode == .continuation {
            guard var partial = self.partial else { throw .outOfOrder }
            self.partial = nil
            guard partial.data.readableBytes + data.readableBytes <= self.maximumSize else { throw .tooLarge }
            partial.data.writeBuffer(&data)
            if frame.fin { return partial }
            self.partial = partial
            return nil
        }
        guard self.partial == nil else { throw .outOfOrder }
        guard data.readableBytes <= self.maximumSize else { throw .tooLarge }
        if frame.fin { return (frame.opcode, data) }
        self.partial = (frame.opcode, data)
        return nil
    }
}
