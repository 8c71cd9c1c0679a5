/// Why a message from a client is not a valid Socket.IO packet. Any of these closes the
/// client's connection (and only that one), as the protocol requires.
public struct SocketIOPacketDecodingError: Error, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case empty
        case unknownPacketType(Character)
        case invalidAttachmentCount
        case tooManyAttachments(limit: Int)
        case invalidAckID
        case invalidJSON(JSONParsingError)
        case invalidPayload(String)
        case unexpectedBinary
        case unexpectedText
        case invalidPlaceholder
        case attachmentsTooLarge(limit: Int)
    }

    public let reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch self.reason {
        case .empty: "empty Socket.IO packet"
        case .unknownPacketType(let type): "unknown Socket.IO packet type '\(type)'"
        case .invalidAttachmentCount: "binary packet without a valid attachment count"
        case .tooManyAttachments(let limit): "more than \(limit) attachments"
        case .invalidAckID: "invalid ack id"
        case .invalidJSON(let error): "invalid JSON payload: \(error)"
        case .invalidPayload(let detail): "invalid payload: \(detail)"
        case .unexpectedBinary: "binary message without a binary packet announcing it"
        case .unexpectedText: "text packet while binary attachments were expected"
        case .invalidPlaceholder: "attachment placeholder out of range"
        case .attachmentsTooLarge(let limit): "attachments larger than \(limit) bytes in all"
        }
    }
}
