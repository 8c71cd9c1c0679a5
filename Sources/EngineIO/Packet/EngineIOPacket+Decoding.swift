import Foundation
import NIOCore

extension EngineIOPacket {
    /// Decodes a text packet (a websocket text frame, or one record of a polling payload). A
    /// binary message travels as text as `b` followed by base64, on either transport (a client
    /// with `forceBase64` sends its websocket binary messages so).
    /// - Parameter text: The packet's text: its type digit (or `b`), then its data.
    /// - Throws: `EngineIOPacketDecodingError` for an empty text, an unknown type, data after a
    ///   type that carries none, or a `b` packet that is not base64.
    public init(decoding text: Substring) throws(EngineIOPacketDecodingError) {
        guard let first = text.utf8.first else { throw .empty }
        // Drop the type digit as one byte: dropping a Character would also drop a combining
        // scalar the data starts with.
        let data = Substring(text.utf8.dropFirst())
        switch first {
        case UInt8(ascii: "b"):
            guard let bytes = Data(base64Encoded: Data(data.utf8)) else { throw .invalidBase64 }
            self = .message(.binary(ByteBuffer(bytes: bytes)))
        case UInt8(ascii: "0"): self = .open(String(data))
        case UInt8(ascii: "1"): self = try Self.dataless(.close, data: data, type: "1")
        case UInt8(ascii: "2"): self = .ping(String(data))
        case UInt8(ascii: "3"): self = .pong(String(data))
        case UInt8(ascii: "4"): self = .message(.text(String(data)))
        case UInt8(ascii: "5"): self = try Self.dataless(.upgrade, data: data, type: "5")
        case UInt8(ascii: "6"): self = try Self.dataless(.noop, data: data, type: "6")
        default: throw .unknownPacketType(text.first!)
        }
    }

    /// Decodes a text packet (a websocket text frame, or one record of a polling payload).
    /// - Parameter text: The packet's text: its type digit, then its data.
    /// - Throws: `EngineIOPacketDecodingError` for an empty text, an unknown type, or data after a
    ///   type that carries none.
    public init(decoding text: String) throws(EngineIOPacketDecodingError) {
        try self.init(decoding: text[...])
    }

    private static func dataless(
        _ packet: EngineIOPacket,
        data: Substring,
        type: Character
    ) throws(EngineIOPacketDecodingError) -> EngineIOPacket {
        guard data.isEmpty else { throw .unexpectedData(packetType: type) }
        return packet
    }
}
