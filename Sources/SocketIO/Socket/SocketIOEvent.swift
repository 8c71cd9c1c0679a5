/// An event one side emitted: a client's, as a server's handlers get it, or a server's, as a
/// `SocketIOTesting` client receives it.
public struct SocketIOEvent: Sendable {
    public let name: String
    public let arguments: [SocketIOValue]
    /// Present when the sender asked for an acknowledgement; call it once with the answer.
    public let ack: SocketIOAcknowledgement?

    package init(name: String, arguments: [SocketIOValue], ack: SocketIOAcknowledgement?) {
        self.name = name
        self.arguments = arguments
        self.ack = ack
    }

    /// Decodes argument `index` into a `Decodable` type.
    public func argument<T: Decodable>(_ index: Int = 0, as type: T.Type = T.self) throws -> T {
        guard self.arguments.indices.contains(index) else {
            throw SocketIOArgumentError.missing(index: index)
        }
        return try self.arguments[index].decode(as: T.self)
    }
}

public enum SocketIOArgumentError: Error, Hashable {
    case missing(index: Int)
}

/// Handles one event. A socket's handlers run one at a time, in the order the client sent its
/// events, without holding up the reading of its packets (acknowledgements keep flowing).
public typealias SocketIOEventHandler = @Sendable (SocketIOEvent) async -> Void

/// Runs before an incoming event's listeners; throwing refuses the event (see `SocketIOSocket.use`).
public typealias SocketIOPacketMiddleware = @Sendable (SocketIOEvent) async throws -> Void
