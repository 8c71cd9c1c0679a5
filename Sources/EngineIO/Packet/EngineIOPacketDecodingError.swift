/// Why bytes received from a client are not a valid Engine.IO packet or payload.
///
/// A struct with static members rather than an enum, as Hummingbird's errors are: a kind of
/// failure added later is a new member, not a new case that breaks every `switch` over it.
/// Compare with `==` (`error == .empty`), or compare ``code`` to tell kinds apart whatever
/// their detail.
public struct EngineIOPacketDecodingError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure, without its detail.
    public struct Code: Sendable, Hashable {
        fileprivate enum Value: Sendable, Hashable {
            case empty
            case unknownPacketType
            case invalidBase64
            case unexpectedData
            case invalidLength
        }

        fileprivate let value: Value

        /// An empty packet, or an empty record in a polling payload.
        public static var empty: Self { Self(value: .empty) }
        /// A packet whose type is none of the seven Engine.IO types.
        public static var unknownPacketType: Self { Self(value: .unknownPacketType) }
        /// A binary message sent as text (`b` and base64) that is not valid base64.
        public static var invalidBase64: Self { Self(value: .invalidBase64) }
        /// Data after a packet type that carries none (`close`, `upgrade`, `noop`).
        public static var unexpectedData: Self { Self(value: .unexpectedData) }
        /// An Engine.IO 3 payload's length prefix that is missing, not a number, or reaches past
        /// the end of the payload or into a character.
        public static var invalidLength: Self { Self(value: .invalidLength) }
    }

    /// The kind of failure.
    public let code: Code
    /// The packet type character concerned, for `unknownPacketType` and `unexpectedData`.
    private let packetType: Character?

    private init(_ code: Code, packetType: Character? = nil) {
        self.code = code
        self.packetType = packetType
    }

    /// An empty packet, or an empty record in a polling payload.
    public static var empty: Self { Self(.empty) }

    /// A binary message sent as text (`b` and base64) that is not valid base64.
    public static var invalidBase64: Self { Self(.invalidBase64) }

    /// An Engine.IO 3 payload's length prefix that is missing, not a number, or reaches past the
    /// end of the payload or into a character.
    public static var invalidLength: Self { Self(.invalidLength) }

    /// A packet whose type is none of the seven Engine.IO types.
    /// - Parameter type: The character found where the type digit belongs.
    public static func unknownPacketType(_ type: Character) -> Self {
        Self(.unknownPacketType, packetType: type)
    }

    /// Data after a packet type that carries none (`close`, `upgrade`, `noop`).
    /// - Parameter packetType: The packet's type digit.
    public static func unexpectedData(packetType: Character) -> Self {
        Self(.unexpectedData, packetType: packetType)
    }

    /// What went wrong, for logs (it names the offending type character, never the data).
    public var description: String {
        switch self.code.value {
        case .empty: "empty Engine.IO packet"
        case .unknownPacketType: "unknown Engine.IO packet type '\(self.packetType ?? "?")'"
        case .invalidBase64: "binary packet is not valid base64"
        case .unexpectedData: "Engine.IO packet type '\(self.packetType ?? "?")' carries no data"
        case .invalidLength: "Engine.IO 3 payload length prefix is missing, invalid or past the end"
        }
    }
}
