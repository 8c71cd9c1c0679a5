import NIOCore
import NIOWebSocket

/// Encodes the websocket frames a server sends: unmasked, never fragmented (RFC 6455 §5.2).
///
/// The Engine.IO handler writes these bytes itself instead of going through NIO's frame
/// encoder: a broadcast's frames are then encoded once for every recipient (NIO's encoder adds
/// a header per frame and per recipient, in a buffer of its own), a session's waiting frames go
/// out as one buffer, and each connection holds one pipeline handler fewer.
enum WebSocketFrameWriter {
    /// The bytes of a frame's header (at most 10 for a server frame).
    static func headerSize(payloadLength: Int) -> Int {
        switch payloadLength {
        case 0...125: 2
        case 126...Int(UInt16.max): 4
        default: 10
        }
    }

    /// Appends one final, unmasked frame to `buffer`; `compressed` sets RSV1, which marks a
    /// permessage-deflate payload.
    static func write(_ opcode: WebSocketOpcode, payload: ByteBuffer, compressed: Bool = false, into buffer: inout ByteBuffer) {
        let length = payload.readableBytes
        buffer.writeInteger(0x80 | (compressed ? 0x40 : 0) | UInt8(webSocketOpcode: opcode))
        switch length {
        case 0...125:
            buffer.writeInteger(UInt8(length))
        case 126...Int(UInt16.max):
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(length))
        default:
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(length))
        }
        buffer.writeImmutableBuffer(payload)
    }

    /// Appends an Engine.IO frame: a text packet as a text frame, a binary message as a binary one.
    static func write(_ frame: EngineIOFrame, into buffer: inout ByteBuffer) {
        switch frame {
        case .text(let bytes): Self.write(.text, payload: bytes, into: &buffer)
        case .binary(let bytes): Self.write(.binary, payload: bytes, into: &buffer)
        }
    }

    /// The wire size of Engine.IO frames on a websocket.
    static func encodedSize(of frames: some Sequence<EngineIOFrame>) -> Int {
        frames.reduce(0) { $0 + Self.headerSize(payloadLength: $1.byteCount) + $1.byteCount }
    }

    /// A close frame with a status code and no reason.
    static func close(_ code: WebSocketErrorCode, allocator: ByteBufferAllocator) -> ByteBuffer {
        var payload = allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: code)
        var frame = allocator.buffer(capacity: 4)
        Self.write(.connectionClose, payload: payload, into: &frame)
        return frame
    }
}
