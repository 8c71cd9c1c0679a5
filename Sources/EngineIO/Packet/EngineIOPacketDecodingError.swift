/// Why bytes received from a client are not a valid Engine.IO packet or payload.
public struct EngineIOPacketDecodingError: Error, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case empty
        case unknownPacketType(Character)
        case invalidBase64
        case unexpectedData(packetType: Character)
    }

    public let reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch self.reason {
        case .empty: "empty Engine.IO packet"
        case .unknownPacketType(let type): "unknown Engine.IO packet type '\(type)'"
        case .invalidBase64: "binary packet in polling payload is not valid base64"
        case .unexpectedData(let type): "Engine.IO packet type '\(type)' carries no data"
        }
    }
}
