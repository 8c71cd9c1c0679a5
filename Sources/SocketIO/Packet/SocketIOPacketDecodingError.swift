public import JSONParsing

/// Why a message from a client is not a valid Socket.IO packet. Any of these closes the
/// client's connection (and only that one), as the protocol requires.
public struct SocketIOPacketDecodingError: Error, Hashable, CustomStringConvertible {
    /// What was wrong. A struct with static members rather than an enum, as Hummingbird's error
    /// codes are: a new reason can be added without breaking code that switches over them.
    /// Compare with `==`: `error.reason == .invalidAckID`.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        enum Code: Hashable {
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

        let code: Code

        private init(_ code: Code) {
            self.code = code
        }

        /// An empty text message.
        public static let empty = Reason(.empty)
        /// A first character that is no packet type (`0` to `6`).
        public static func unknownPacketType(_ type: Character) -> Reason { Reason(.unknownPacketType(type)) }
        /// A binary packet without `<count>-` after its type.
        public static let invalidAttachmentCount = Reason(.invalidAttachmentCount)
        /// A binary packet announcing more attachments than the decoder's `maximumAttachments`.
        public static func tooManyAttachments(limit: Int) -> Reason { Reason(.tooManyAttachments(limit: limit)) }
        /// An acknowledgement id longer than 15 digits.
        public static let invalidAckID = Reason(.invalidAckID)
        /// A payload that is not JSON.
        public static func invalidJSON(_ error: JSONParsingError) -> Reason { Reason(.invalidJSON(error)) }
        /// JSON that breaks the rules of the packet's type; `detail` says which.
        public static func invalidPayload(_ detail: String) -> Reason { Reason(.invalidPayload(detail)) }
        /// A binary message while no binary packet was waiting for attachments.
        public static let unexpectedBinary = Reason(.unexpectedBinary)
        /// A text message while a binary packet's attachments were still due.
        public static let unexpectedText = Reason(.unexpectedText)
        /// An attachment placeholder whose number is not one of the packet's attachments.
        public static let invalidPlaceholder = Reason(.invalidPlaceholder)
        /// Attachments larger than the decoder's `maximumAttachmentBytes` in all.
        public static func attachmentsTooLarge(limit: Int) -> Reason { Reason(.attachmentsTooLarge(limit: limit)) }

        /// What was wrong, in words, for logs.
        public var description: String {
            switch self.code {
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

    /// What was wrong.
    public let reason: Reason

    /// An error for `reason`; public so that tests can name the error they expect.
    public init(_ reason: Reason) {
        self.reason = reason
    }

    /// The reason, in words, for logs.
    public var description: String {
        self.reason.description
    }
}
