import Foundation
import NIOCore

/// Engine.IO 3's polling body formats (socket.io-client 2.x), beside v4's `PollingPayload`.
///
/// Text bodies prefix each packet with its length and a colon (`6:4hello2:40`), the length
/// counted in UTF-16 code units as JavaScript counts a string; a binary message is `b4` and
/// base64. A client that can send binary (no `b64` in its query) may instead get and send an
/// `application/octet-stream` body: per packet a marker (0 text, 1 binary), the decimal digits
/// of its byte length as bytes 0–9, `0xFF`, then the packet (a binary one led by its type byte).
/// Pure functions over bytes, tested alone like the v4 codec.
enum EngineIO3Payload {
    /// Longest length prefix read: ten digits already exceed any body the server accepts.
    private static let maximumLengthDigits = 10
    private static let lengthEnd = UInt8(0xFF)
    private static let messageType = UInt8(4)

    /// Decodes a text body (`Content-Type` other than `application/octet-stream`).
    /// - Throws: `EngineIOPacketDecodingError` for an empty body, a missing, non-numeric or
    ///   overlong length, a length that does not end on a character, or a record that is no packet.
    static func decodeText(_ body: ByteBuffer) throws(EngineIOPacketDecodingError) -> [EngineIOPacket] {
        let text = String(buffer: body)
        guard !text.isEmpty else { throw .empty }
        let utf16 = text.utf16
        var packets: [EngineIOPacket] = []
        var index = utf16.startIndex
        while index < utf16.endIndex {
            guard let colon = utf16[index...].firstIndex(of: UInt16(UInt8(ascii: ":"))),
                utf16.distance(from: index, to: colon) <= Self.maximumLengthDigits,
                let length = Int(String(text[index..<colon])), length >= 0
            else { throw .invalidLength }
            let start = utf16.index(after: colon)
            guard let end = utf16.index(start, offsetBy: length, limitedBy: utf16.endIndex),
                end.samePosition(in: text.unicodeScalars) != nil
            else { throw .invalidLength }
            if length > 0 { packets.append(try Self.decodePacket(text[start..<end])) }
            index = end
        }
        return packets
    }

    /// Decodes an `application/octet-stream` body.
    /// - Throws: `EngineIOPacketDecodingError` for an empty body, a bad marker or length, a
    ///   length past the end of the body, or a record that is no packet.
    static func decodeBinary(_ body: ByteBuffer) throws(EngineIOPacketDecodingError) -> [EngineIOPacket] {
        var body = body
        guard body.readableBytes > 0 else { throw .empty }
        var packets: [EngineIOPacket] = []
        while let marker = body.readInteger(as: UInt8.self) {
            guard marker <= 1 else { throw .invalidLength }
            var length = 0
            var digits = 0
            while true {
                guard let digit = body.readInteger(as: UInt8.self), digits <= Self.maximumLengthDigits else { throw .invalidLength }
                if digit == Self.lengthEnd { break }
                guard digit <= 9 else { throw .invalidLength }
                length = length * 10 + Int(digit)
                digits += 1
            }
            guard digits > 0, let record = body.readSlice(length: length) else { throw .invalidLength }
            if marker == 0 {
                packets.append(try Self.decodePacket(Substring(String(buffer: record))))
            } else {
                packets.append(try Self.decodeBinaryPacket(record))
            }
        }
        return packets
    }

    /// One text packet. Unlike v4's `b` + base64, a text-encoded binary packet names its type:
    /// `b4` + base64.
    static func decodePacket(_ text: Substring) throws(EngineIOPacketDecodingError) -> EngineIOPacket {
        guard text.utf8.first == UInt8(ascii: "b") else { return try EngineIOPacket(decoding: text) }
        let rest = text.utf8.dropFirst()
        guard rest.first == UInt8(ascii: "4") else { throw .unknownPacketType(rest.first.map { Character(Unicode.Scalar($0)) } ?? "b") }
        guard let bytes = Data(base64Encoded: Data(rest.dropFirst())) else { throw .invalidBase64 }
        return .message(.binary(ByteBuffer(bytes: bytes)))
    }

    /// Decodes a binary packet (a binary websocket message, or a binary record of a payload):
    /// the packet type byte, then the data.
    /// - Throws: `EngineIOPacketDecodingError` when the message is not a `message` packet.
    static func decodeBinaryPacket(_ data: ByteBuffer) throws(EngineIOPacketDecodingError) -> EngineIOPacket {
        var data = data
        guard let type = data.readInteger(as: UInt8.self) else { throw .empty }
        guard type == Self.messageType else { throw .unknownPacketType(Character(Unicode.Scalar(type + UInt8(ascii: "0")))) }
        return .message(.binary(data))
    }

    /// A frame as an Engine.IO 3 websocket carries it: a binary message led by its type byte.
    static func webSocketFrame(_ frame: EngineIOFrame) -> EngineIOFrame {
        guard case .binary(let bytes) = frame else { return frame }
        var prefixed = ByteBufferAllocator().buffer(capacity: bytes.readableBytes + 1)
        prefixed.writeInteger(Self.messageType)
        prefixed.writeImmutableBuffer(bytes)
        return .binary(prefixed)
    }

    /// Encodes frames as one response body.
    /// - Parameters:
    ///   - frames: Encoded frames, in order.
    ///   - supportsBinary: False when the client asked for base64 (`b64=1`).
    /// - Returns: The body, and whether it is `application/octet-stream` (binary frames for a
    ///   client that takes binary) rather than text.
    static func encode(_ frames: [EngineIOFrame], supportsBinary: Bool) -> (body: ByteBuffer, isBinary: Bool) {
        let hasBinary = frames.contains(where: \.isBinary)
        var body = ByteBufferAllocator().buffer(capacity: frames.reduce(0) { $0 + $1.byteCount + 12 })
        if supportsBinary, hasBinary {
            for frame in frames {
                switch frame {
                case .text(let bytes):
                    Self.writeBinaryHeader(marker: 0, length: bytes.readableBytes, into: &body)
                    body.writeImmutableBuffer(bytes)
                case .binary(let bytes):
                    Self.writeBinaryHeader(marker: 1, length: bytes.readableBytes + 1, into: &body)
                    body.writeInteger(Self.messageType)
                    body.writeImmutableBuffer(bytes)
                }
            }
            return (body, true)
        }
        for frame in frames {
            switch frame {
            case .text(let bytes):
                body.writeString("\(Self.utf16Count(bytes)):")
                body.writeImmutableBuffer(bytes)
            case .binary(let bytes):
                let base64 = Data(bytes.readableBytesView).base64EncodedString()
                body.writeString("\(base64.utf8.count + 2):b4")
                body.writeString(base64)
            }
        }
        if frames.isEmpty { body.writeString("0:") }
        return (body, false)
    }

    private static func writeBinaryHeader(marker: UInt8, length: Int, into body: inout ByteBuffer) {
        body.writeInteger(marker)
        for digit in String(length).utf8 { body.writeInteger(digit - UInt8(ascii: "0")) }
        body.writeInteger(Self.lengthEnd)
    }

    /// The length JavaScript gives the UTF-8 text: one unit per scalar, two for one outside the
    /// Basic Multilingual Plane (a four-byte sequence).
    static func utf16Count(_ utf8: ByteBuffer) -> Int {
        utf8.readableBytesView.reduce(0) { count, byte in
            count + (byte & 0xC0 == 0x80 ? 0 : 1) + (byte >= 0xF0 ? 1 : 0)
        }
    }
}
