public import EngineIO
public import NIOCore

/// A packet in its wire form: the text packet, then one binary frame per attachment. Several
/// packets sent together (`init(combining:)`) are their frames one after the other.
public struct SocketIOEncodedPacket: Sendable {
    /// The Engine.IO frames to send, in order. Encoding once and sending these to many sessions
    /// is how a broadcast avoids per-recipient work.
    public let frames: [EngineIOFrame]

    /// Frames encoded elsewhere, e.g. by another node of a cluster: the first is the text packet.
    public init(frames: [EngineIOFrame]) {
        precondition(!frames.isEmpty, "an encoded packet has at least its text frame")
        self.frames = frames
    }

    /// Packets that travel together: to each recipient in one write, between nodes in one message.
    public init(combining packets: [SocketIOEncodedPacket]) {
        self.init(frames: packets.flatMap(\.frames))
    }

    /// The (first) Socket.IO text packet (without the Engine.IO `4` prefix).
    public var text: String {
        guard case .text(let buffer) = self.frames[0] else { return "" }
        return String(buffer: buffer.getSlice(at: buffer.readerIndex + 1, length: buffer.readableBytes - 1)!)
    }

    /// The Engine.IO messages a client sends for this packet: the text packet, then one binary
    /// message per attachment (a server writes `frames`; a client's messages carry no `4` prefix).
    package var messages: [EngineIOMessage] {
        [.text(self.text)] + self.attachments.map { .binary($0) }
    }

    /// The binary attachments, in placeholder order.
    public var attachments: [ByteBuffer] {
        self.frames.dropFirst().compactMap { frame in
            if case .binary(let bytes) = frame { return bytes }
            return nil
        }
    }
}

extension SocketIOPacket {
    /// Encodes the packet as `<type>[<attachments>-][<namespace>,][<ack id>][<JSON>]`, inside an
    /// Engine.IO message frame.
    public func encoded() -> SocketIOEncodedPacket {
        var serializer = JSONSerializer()
        var json: ByteBuffer?
        if let payload = self.payload {
            var buffer = ByteBufferAllocator().buffer(capacity: 64)
            serializer.write(payload, into: &buffer)
            json = buffer
        }
        let attachments = serializer.attachments
        var text = ByteBufferAllocator().buffer(capacity: (json?.readableBytes ?? 0) + self.namespace.utf8.count + 16)
        text.writeInteger(UInt8(ascii: "4"))
        text.writeInteger(self.typeDigit(binary: !attachments.isEmpty))
        if !attachments.isEmpty {
            text.writeString(String(attachments.count))
            text.writeInteger(UInt8(ascii: "-"))
        }
        if self.namespace != "/" {
            text.writeString(self.namespace)
            text.writeInteger(UInt8(ascii: ","))
        }
        if let ackID = self.ackID {
            text.writeString(String(ackID))
        }
        if let json {
            text.writeImmutableBuffer(json)
        }
        return SocketIOEncodedPacket(frames: [.text(text)] + attachments.map { .binary($0) })
    }

    private func typeDigit(binary: Bool) -> UInt8 {
        switch self.kind {
        case .connect: UInt8(ascii: "0")
        case .disconnect: UInt8(ascii: "1")
        case .event: binary ? UInt8(ascii: "5") : UInt8(ascii: "2")
        case .ack: binary ? UInt8(ascii: "6") : UInt8(ascii: "3")
        case .connectError: UInt8(ascii: "4")
        }
    }
}
