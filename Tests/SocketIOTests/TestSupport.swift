import EngineIO
import NIOCore
import SocketIO
import Testing

func bytes(_ values: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: values)
}

extension SocketIOEncodedPacket {
    /// The messages a client would send for this packet: the text packet, then its attachments.
    var messages: [EngineIOMessage] {
        [.text(self.text)] + self.attachments.map { .binary($0) }
    }
}

extension SocketIOPacket: CustomTestStringConvertible {
    public var testDescription: String {
        "\(self.kind) \(self.namespace) ack=\(self.ackID.map(String.init) ?? "-") \(self.payload?.jsonString ?? "(no payload)")"
    }
}
