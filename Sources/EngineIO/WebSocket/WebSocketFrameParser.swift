import NIOCore
import NIOWebSocket

/// Reads the websocket frames a client sends (RFC 6455 §5.2) from the bytes of its connection,
/// unmasked, inside the Engine.IO handler rather than through `ByteToMessageHandler` and NIO's
/// `WebSocketFrameDecoder`: that handler, its context, its buffers and the decoder object cost
/// about 400 bytes on every connection, and NIO's decoder copies each frame to unmask it.
///
/// A pure codec: it holds only the bytes of a frame that has not fully arrived. Frames that
/// complete within one read are parsed in place, without copying the read.
struct WebSocketFrameParser {
    enum Failure: Error, Equatable {
        /// A frame longer than the limit (close code 1009).
        case tooLarge
        /// Not a frame a client may send (close code 1002): unmasked, a reserved opcode, a
        /// fragmented or over-long control frame, or a 64-bit length with its top bit set.
        case malformed
    }

    /// The longest frame payload accepted.
    let maximumFrameSize: Int
    /// Bytes read but not yet parsed: the start of a frame that has not fully arrived.
    private var pending: ByteBuffer?
    /// Whether `pending` is a buffer of the parser's own, not part of a read's buffer (which
    /// NIO reuses for the next read only once nobody holds it).
    private var ownsPending = false

    init(maximumFrameSize: Int) {
        self.maximumFrameSize = maximumFrameSize
    }

    /// Adds bytes read from the connection.
    mutating func append(_ bytes: ByteBuffer) {
        guard var pending = self.pending.take() else {
            self.pending = bytes
            self.ownsPending = false
            return
        }
        var bytes = bytes
        pending.writeBuffer(&bytes)
        self.pending = pending
    }

    /// The next complete frame, its payload unmasked; nil until one has fully arrived, and then
    /// what is left of the reads is kept in a buffer of the parser's own. After a failure the
    /// connection must be closed.
    mutating func nextFrame(allocator: ByteBufferAllocator) throws(Failure) -> WebSocketFrame? {
        guard var buffer = self.pending.take() else { return nil }
        let frame = try self.parseFrame(&buffer, allocator: allocator)
        if buffer.readableBytes > 0 {
            if frame == nil, !self.ownsPending {
                var copy = allocator.buffer(capacity: buffer.readableBytes)
                copy.writeBuffer(&buffer)
                buffer = copy
                self.ownsPending = true
            }
            self.pending = buffer
        }
        return frame
    }

    /// Leaves `buffer` as it was when the frame is incomplete.
    private func parseFrame(_ buffer: inout ByteBuffer, allocator: ByteBufferAllocator) throws(Failure) -> WebSocketFrame? {
        var cursor = buffer
        guard let first = cursor.readInteger(as: UInt8.self), let second = cursor.readInteger(as: UInt8.self) else { return nil }
        guard let opcode = WebSocketOpcode(encodedWebSocketOpcode: first & 0x0F), opcode.isDefined else { throw .malformed }
        let fin = first & 0x80 != 0
        // Every frame from a client is masked (§5.1).
        guard second & 0x80 != 0 else { throw .malformed }
        let length: UInt64
        switch second & 0x7F {
        case 126:
            guard let extended = cursor.readInteger(as: UInt16.self) else { return nil }
            length = UInt64(extended)
        case 127:
            guard let extended = cursor.readInteger(as: UInt64.self) else { return nil }
            guard extended >> 63 == 0 else { throw .malformed }
            length = extended
        case let short:
            length = UInt64(short)
        }
        if opcode.isControlOpcode {
            guard fin, length <= 125 else { throw .malformed }
        }
        guard length <= UInt64(self.maximumFrameSize) else { throw .tooLarge }
        let payloadLength = Int(length)
        guard let maskingKey = cursor.readInteger(as: UInt32.self), cursor.readableBytes >= payloadLength else { return nil }
        var payload = allocator.buffer(capacity: payloadLength)
        withUnsafeBytes(of: maskingKey.bigEndian) { key in
            cursor.withUnsafeReadableBytes { masked in
                _ = payload.writeWithUnsafeMutableBytes(minimumWritableBytes: payloadLength) { unmasked in
                    for index in 0..<payloadLength {
                        unmasked[index] = masked[index] ^ key[index & 3]
                    }
                    return payloadLength
                }
            }
        }
        cursor.moveReaderIndex(forwardBy: payloadLength)
        buffer = cursor
        return WebSocketFrame(fin: fin, rsv1: first & 0x40 != 0, rsv2: first & 0x20 != 0, rsv3: first & 0x10 != 0, opcode: opcode, data: payload)
    }
}

extension WebSocketOpcode {
    /// The opcodes RFC 6455 defines; the others are reserved and fail the connection.
    fileprivate var isDefined: Bool {
        switch self {
        case .continuation, .text, .binary, .connectionClose, .ping, .pong: true
        default: false
        }
    }
}
