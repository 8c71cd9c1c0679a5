public import NIOCore

/// An encoded Engine.IO packet, ready for either transport.
///
/// Encoding happens once: a broadcast hands the same frame (and so the same bytes, thanks to
/// `ByteBuffer`'s copy-on-write storage) to every session it reaches.
public enum EngineIOFrame: Sendable, Hashable {
    /// A text packet: the type digit followed by its data, as UTF-8.
    case text(ByteBuffer)
    /// A binary `message` packet: the raw bytes, without a type prefix.
    case binary(ByteBuffer)

    /// Whether this is a binary message.
    var isBinary: Bool {
        if case .binary = self { return true }
        return false
    }

    /// The number of bytes this frame occupies on a websocket.
    public var byteCount: Int {
        switch self {
        case .text(let buffer), .binary(let buffer): buffer.readableBytes
        }
    }
}

extension EngineIOPacket {
    /// Encodes the packet into its wire frame.
    public var frame: EngineIOFrame {
        switch self {
        case .message(.binary(let bytes)):
            return .binary(bytes)
        case .message(.text(let text)):
            return .text(Self.textFrame(digit: self.typeDigit, data: text))
        case .open(let data), .ping(let data), .pong(let data):
            return .text(Self.textFrame(digit: self.typeDigit, data: data))
        case .close, .upgrade, .noop:
            return .text(Self.textFrame(digit: self.typeDigit, data: ""))
        }
    }

    private static func textFrame(digit: UInt8, data: String) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: data.utf8.count + 1)
        buffer.writeInteger(digit)
        buffer.writeString(data)
        return buffer
    }
}

extension EngineIOFrame {
    /// A `message` frame carrying text, built without an intermediate `EngineIOPacket`.
    /// - Parameter text: The message.
    /// - Returns: A text frame, `4` followed by the text.
    public static func message(_ text: String) -> EngineIOFrame {
        EngineIOPacket.message(.text(text)).frame
    }

    /// A `message` frame carrying text that is already UTF-8 encoded, so an encoder writing
    /// into a buffer does not go through `String`.
    /// - Parameter payload: The message's UTF-8 bytes; not checked.
    /// - Returns: A text frame, `4` followed by the bytes.
    public static func message(utf8 payload: ByteBuffer) -> EngineIOFrame {
        var buffer = ByteBufferAllocator().buffer(capacity: payload.readableBytes + 1)
        buffer.writeInteger(UInt8(ascii: "4"))
        buffer.writeImmutableBuffer(payload)
        return .text(buffer)
    }
}
