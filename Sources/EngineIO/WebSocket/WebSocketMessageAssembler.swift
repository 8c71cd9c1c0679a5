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
        /// A reserved bit no negotiated extension defines (close code 1002): RSV1 without
        /// permessage-deflate or on a continuation frame, RSV2 or RSV3 ever.
        case reservedBit
    }

    /// A complete message; `compressed` when its first frame had RSV1 (permessage-deflate).
    struct Message {
        var opcode: WebSocketOpcode
        var data: ByteBuffer
        var compressed: Bool
    }

    let maximumSize: Int
    /// Whether permessage-deflate was negotiated, which gives RSV1 its meaning.
    let allowsCompression: Bool
    private var partial: Message?

    init(maximumSize: Int, allowsCompression: Bool = false) {
        self.maximumSize = maximumSize
        self.allowsCompression = allowsCompression
    }

    /// Takes a text, binary or continuation frame; returns the message it completes, if any.
    mutating func append(_ frame: WebSocketFrame) throws(Failure) -> Message? {
        guard !frame.rsv2, !frame.rsv3, !frame.rsv1 || (self.allowsCompression && frame.opcode != .continuation) else { throw .reservedBit }
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
        let message = Message(opcode: frame.opcode, data: data, compressed: frame.rsv1)
        if frame.fin { return message }
        self.partial = message
        return nil
    }
}
