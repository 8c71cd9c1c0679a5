import NIOCore
import SocketIO
import Testing

func bytes(_ values: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: values)
}

extension SocketIOPacket: CustomTestStringConvertible {
    public var testDescription: String {
        "\(self.kind) \(self.namespace) ack=\(self.ackID.map(String.init) ?? "-") \(self.payload?.jsonString ?? "(no payload)")"
    }
}
