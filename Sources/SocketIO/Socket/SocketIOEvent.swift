/// An event one side emitted: a client's, as a server's handlers get it, or a server's, as a
/// `SocketIOTesting` client receives it.
public struct SocketIOEvent: Sendable {
    /// The event's name, the first element of the client's EVENT packet.
    public let name: String
    /// The arguments after the name; binary ones hold their attachments.
    public let arguments: [SocketIOValue]
    /// Present when the sender asked for an acknowledgement; call it once with the answer.
    public let ack: SocketIOAcknowledgement?

    package init(name: String, arguments: [SocketIOValue], ack: SocketIOAcknowledgement?) {
        self.name = name
        self.arguments = arguments
        self.ack = ack
    }

    /// Decodes argument `index` into a `Decodable` type.
    /// - Throws: `SocketIOArgumentError.missing(index:)` when there is no such argument, the
    ///   `DecodingError` when it does not decode.
    public func argument<T: Decodable>(_ index: Int = 0, as type: T.Type = T.self) throws -> T {
        guard self.arguments.indices.contains(index) else {
            throw SocketIOArgumentError.missing(index: index)
        }
        return try self.arguments[index].decode(as: T.self)
    }
}

/// Why `SocketIOEvent.argument(_:as:)` found no argument to decode (a value that is there but
/// does not decode throws the `DecodingError` instead).
public struct SocketIOArgumentError: Error, Hashable, CustomStringConvertible {
    enum Code: Hashable {
        case missing
    }

    let code: Code
    /// The position of the argument asked for.
    public let index: Int

    private init(_ code: Code, index: Int) {
        self.code = code
        self.index = index
    }

    /// The event has no argument at `index`.
    public static func missing(index: Int) -> SocketIOArgumentError {
        SocketIOArgumentError(.missing, index: index)
    }

    /// Says which argument was missing.
    public var description: String {
        switch self.code {
        case .missing: "the event has no argument \(self.index)"
        }
    }
}

/// Handles one event. A socket's handlers run one at a time, in the order the client sent its
/// events, without holding up the reading of its packets (acknowledgements keep flowing).
public typealias SocketIOEventHandler = @Sendable (SocketIOEvent) async -> Void

/// Runs before an incoming event's listeners; throwing refuses the event (see `SocketIOSocket.use`).
public typealias SocketIOPacketMiddleware = @Sendable (SocketIOEvent) async throws -> Void
