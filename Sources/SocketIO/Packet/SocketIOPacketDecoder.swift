public import EngineIO
import NIOCore
import OrderedCollections

/// Turns a client's Engine.IO messages into Socket.IO packets.
///
/// Stateful only for binary packets: BINARY_EVENT / BINARY_ACK announce N attachments that
/// arrive as the next N binary messages; the packet is complete after the last one.
public struct SocketIOPacketDecoder: Sendable {
    /// Attachments one packet may announce; a bound on what a client can make the server wait for.
    public let maximumAttachments: Int
    /// Bytes of attachments one packet may carry in all, so many attachments of the largest
    /// allowed size cannot pin their sum in memory.
    public let maximumAttachmentBytes: Int
    private var pending: Pending?

    /// A binary packet waiting for its attachments. Boxed (`indirect`): every connection holds a
    /// decoder, and inline this state would add about 90 bytes to each for the rare packet that
    /// has attachments.
    private indirect enum Pending: Sendable {
        case assembling(packet: SocketIOPacket, expected: Int, attachments: [ByteBuffer], bytes: Int)
    }

    /// A decoder waiting for a packet, with the limits of `SocketIOConfiguration`'s defaults.
    public init(maximumAttachments: Int = 1000, maximumAttachmentBytes: Int = 10_000_000) {
        self.maximumAttachments = maximumAttachments
        self.maximumAttachmentBytes = maximumAttachmentBytes
    }

    /// Feeds one message. Returns a packet when one is complete, nil while attachments are due.
    public mutating func decode(_ message: EngineIOMessage) throws(SocketIOPacketDecodingError) -> SocketIOPacket? {
        switch message {
        case .text(let text):
            guard self.pending == nil else { throw SocketIOPacketDecodingError(.unexpectedText) }
            let (packet, attachmentCount) = try Self.decodeText(text[...], maximumAttachments: self.maximumAttachments)
            if attachmentCount == 0 { return try Self.resolvePlaceholders(in: packet, attachments: []) }
            self.pending = .assembling(packet: packet, expected: attachmentCount, attachments: [], bytes: 0)
            return nil
        case .binary(let bytes):
            guard case .assembling(let packet, let expected, var attachments, var total) = self.pending.take() else {
                throw SocketIOPacketDecodingError(.unexpectedBinary)
            }
            total += bytes.readableBytes
            guard total <= self.maximumAttachmentBytes else {
                throw SocketIOPacketDecodingError(.attachmentsTooLarge(limit: self.maximumAttachmentBytes))
            }
            attachments.append(bytes)
            guard attachments.count == expected else {
                self.pending = .assembling(packet: packet, expected: expected, attachments: attachments, bytes: total)
                return nil
            }
            return try Self.resolvePlaceholders(in: packet, attachments: attachments)
        }
    }

    /// Decodes a text packet; returns it with placeholders unresolved and its attachment count.
    static func decodeText(
        _ text: Substring,
        maximumAttachments: Int
    ) throws(SocketIOPacketDecodingError) -> (SocketIOPacket, Int) {
        let utf8 = text.utf8
        guard let typeByte = utf8.first else { throw SocketIOPacketDecodingError(.empty) }
        var index = utf8.index(after: utf8.startIndex)
        let kind: SocketIOPacket.Kind
        var binary = false
        switch typeByte {
        case UInt8(ascii: "0"): kind = .connect
        case UInt8(ascii: "1"): kind = .disconnect
        case UInt8(ascii: "2"): kind = .event
        case UInt8(ascii: "3"): kind = .ack
        case UInt8(ascii: "4"): kind = .connectError
        case UInt8(ascii: "5"): kind = .event; binary = true
        case UInt8(ascii: "6"): kind = .ack; binary = true
        default: throw SocketIOPacketDecodingError(.unknownPacketType(text.first!))
        }

        var attachmentCount = 0
        if binary {
            let digitsStart = index
            while index < utf8.endIndex, Self.isDigit(utf8[index]) { index = utf8.index(after: index) }
            guard index > digitsStart, index < utf8.endIndex, utf8[index] == UInt8(ascii: "-"),
                let count = Int(Substring(utf8[digitsStart..<index]))
            else { throw SocketIOPacketDecodingError(.invalidAttachmentCount) }
            guard count <= maximumAttachments else {
                throw SocketIOPacketDecodingError(.tooManyAttachments(limit: maximumAttachments))
            }
            attachmentCount = count
            index = utf8.index(after: index)
        }

        var namespace = "/"
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "/") {
            let start = index
            while index < utf8.endIndex, utf8[index] != UInt8(ascii: ",") { index = utf8.index(after: index) }
            namespace = String(Substring(utf8[start..<index]))
            if index < utf8.endIndex { index = utf8.index(after: index) }
        }

        var ackID: Int?
        if index < utf8.endIndex, Self.isDigit(utf8[index]) {
            let start = index
            while index < utf8.endIndex, Self.isDigit(utf8[index]) { index = utf8.index(after: index) }
            guard utf8.distance(from: start, to: index) <= 15,
                let id = Int(Substring(utf8[start..<index]))
            else { throw SocketIOPacketDecodingError(.invalidAckID) }
            ackID = id
        }

        var payload: SocketIOValue?
        if index < utf8.endIndex {
            do {
                payload = try SocketIOValue.parse(utf8[index...])
            } catch {
                throw SocketIOPacketDecodingError(.invalidJSON(error))
            }
        }
        let packet = SocketIOPacket(kind: kind, namespace: namespace, ackID: ackID, payload: payload)
        try Self.validate(packet)
        return (packet, attachmentCount)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// The payload rules of the protocol, per packet type.
    private static func validate(_ packet: SocketIOPacket) throws(SocketIOPacketDecodingError) {
        switch packet.kind {
        case .connect:
            guard packet.payload == nil || packet.payload?.objectValue != nil else {
                throw SocketIOPacketDecodingError(.invalidPayload("CONNECT payload must be an object"))
            }
        case .disconnect:
            guard packet.payload == nil else {
                throw SocketIOPacketDecodingError(.invalidPayload("DISCONNECT carries no payload"))
            }
        case .event:
            guard case .array(let elements)? = packet.payload, case .string(let name)? = elements.first else {
                throw SocketIOPacketDecodingError(.invalidPayload("EVENT payload must be an array starting with the event name"))
            }
            guard !SocketIOPacket.reservedEventNames.contains(name) else {
                throw SocketIOPacketDecodingError(.invalidPayload("'\(name)' is a reserved event name"))
            }
        case .ack:
            guard packet.ackID != nil, packet.payload?.arrayValue != nil else {
                throw SocketIOPacketDecodingError(.invalidPayload("ACK needs an id and an array payload"))
            }
        case .connectError:
            guard packet.payload?.objectValue != nil || packet.payload?.stringValue != nil else {
                throw SocketIOPacketDecodingError(.invalidPayload("CONNECT_ERROR payload must be an object or a string"))
            }
        }
    }

    /// Replaces `{"_placeholder":true,"num":N}` objects with attachment N.
    static func resolvePlaceholders(
        in packet: SocketIOPacket,
        attachments: [ByteBuffer]
    ) throws(SocketIOPacketDecodingError) -> SocketIOPacket {
        guard let payload = packet.payload, !attachments.isEmpty else { return packet }
        var resolved = packet
        resolved.payload = try Self.resolve(payload, attachments: attachments)
        return resolved
    }

    private static func resolve(_ value: SocketIOValue, attachments: [ByteBuffer]) throws(SocketIOPacketDecodingError) -> SocketIOValue {
        switch value {
        case .array(let elements):
            var result: [SocketIOValue] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try Self.resolve(element, attachments: attachments)) }
            return .array(result)
        case .object(let members):
            if members["_placeholder"] == .bool(true) {
                guard let number = members["num"]?.intValue, attachments.indices.contains(number) else {
                    throw SocketIOPacketDecodingError(.invalidPlaceholder)
                }
                return .binary(attachments[number])
            }
            var result = OrderedDictionary<String, SocketIOValue>()
            result.reserveCapacity(members.count)
            for (key, member) in members { result[key] = try Self.resolve(member, attachments: attachments) }
            return .object(result)
        default:
            return value
        }
    }
}
