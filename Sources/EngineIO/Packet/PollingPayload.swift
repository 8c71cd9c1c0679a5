import Foundation
public import NIOCore

/// The HTTP long-polling body format: packets joined by the record separator `0x1E`, binary
/// messages written as `b` followed by base64.
public enum PollingPayload {
    static let recordSeparator = UInt8(0x1E)

    /// Splits a polling request body into packets. Any invalid record makes the whole body invalid:
    /// the protocol closes the session rather than deliver part of a payload.
    public static func decode(_ body: ByteBuffer) throws(EngineIOPacketDecodingError) -> [EngineIOPacket] {
        let bytes = body.readableBytesView
        guard !bytes.isEmpty else { throw .empty }
        var packets: [EngineIOPacket] = []
        for record in bytes.split(separator: Self.recordSeparator, omittingEmptySubsequences: false) {
            if record.first == UInt8(ascii: "b") {
                guard let data = Data(base64Encoded: Data(record.dropFirst())) else {
                    throw .invalidBase64
                }
                packets.append(.message(.binary(ByteBuffer(bytes: data))))
            } else {
                let text = String(decoding: record, as: UTF8.self)
                packets.append(try EngineIOPacket(decoding: text))
            }
        }
        return packets
    }

    /// Joins frames into one polling response body.
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
