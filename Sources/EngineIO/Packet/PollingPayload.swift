import Foundation
public import NIOCore

/// The HTTP long-polling body format: packets joined by the record separator `0x1E`, binary
/// messages written as `b` followed by base64.
///
/// Pure functions over bytes, with no session or connection: the server uses them for polling
/// requests and responses, and they can be tested and fuzzed alone.
public enum PollingPayload {
    static let recordSeparator = UInt8(0x1E)

    /// Splits a polling request body into packets. Any invalid record makes the whole body invalid:
    /// the protocol closes the session rather than deliver part of a payload.
    /// - Parameter body: A polling `POST` body.
    /// - Returns: The packets, in order.
    /// - Throws: `EngineIOPacketDecodingError` for an empty body or record, a record that is no
    ///   packet, or a binary record that is not base64.
    public static func decode(_ body: ByteBuffer) throws(EngineIOPacketDecodingError) -> [EngineIOPacket] {
        let bytes = body.readableBytesView
        guard !bytes.isEmpty else { throw .empty }
        var packets: [EngineIOPacket] = []
        for record in bytes.split(separator: Self.recordSeparator, omittingEmptySubsequences: false) {
            packets.append(try EngineIOPacket(decoding: String(decoding: record, as: UTF8.self)))
        }
        return packets
    }

    /// Joins frames into one polling response body.
    /// - Parameter frames: Encoded frames, in order; binary ones are written as base64.
    /// - Returns: The body, records separated by `0x1E`.
    public static func encode(_ frames: [EngineIOFrame]) -> ByteBuffer {
        var body = ByteBufferAllocator().buffer(capacity: frames.reduce(0) { $0 + $1.byteCount + 1 })
        for (index, frame) in frames.enumerated() {
            if index > 0 { body.writeInteger(Self.recordSeparator) }
            switch frame {
            case .text(let bytes):
                body.writeImmutableBuffer(bytes)
            case .binary(let bytes):
                body.writeInteger(UInt8(ascii: "b"))
                body.writeString(Data(bytes.readableBytesView).base64EncodedString())
            }
        }
        return body
    }
}
