/// A socket's emits with a modifier (`socket.volatile`, `socket.timeout(_:)`), as Node chains
/// them: `socket.timeout(.seconds(2)).emitWithAck("question")`.
public struct SocketIOSocketEmitter: Sendable {
    /// The socket emitted to.
    public let socket: SocketIOSocket
    /// Whether emits are dropped when the connection cannot take them at once.
    public private(set) var volatile = false
    /// How long `emitWithAck` waits; the server's `ackTimeout` when nil.
    public private(set) var ackTimeout: Duration?

    init(socket: SocketIOSocket, volatile: Bool = false, ackTimeout: Duration? = nil) {
        self.socket = socket
        self.volatile = volatile
        self.ackTimeout = ackTimeout
    }

    /// Dropped when the connection cannot take the event at once.
    public var volatileEmits: Self {
        var copy = self
        copy.volatile = true
        return copy
    }

    /// How long `emitWithAck` waits.
    public func timeout(_ duration: Duration) -> Self {
        var copy = self
        copy.ackTimeout = duration
        return copy
    }

    /// Sends an event to the socket, with the modifiers applied.
    public func emit(_ event: String, _ arguments: SocketIOValue...) {
        self.emit(event, arguments: arguments)
    }

    /// Sends an event, its arguments given as an array, with the modifiers applied.
    public func emit(_ event: String, arguments: [SocketIOValue]) {
        if self.volatile {
            self.socket.emitVolatile(event, arguments: arguments)
        } else {
            self.socket.emit(event, arguments: arguments)
        }
    }

    /// Sends `Encodable` values as the event's arguments, with the modifiers applied.
    /// - Throws: The encoding error of a value that has no JSON form; nothing is sent then.
    public func emit<each Argument: Encodable>(_ event: String, encoding arguments: repeat each Argument) throws {
        self.emit(event, arguments: try SocketIOValue.encodingEach(repeat each arguments))
    }

    /// Sends an event and waits, `ackTimeout` at most, for the client's acknowledgement: its
    /// arguments. Never volatile: an acknowledged emit is waited for.
    /// - Throws: `SocketIOAckError.timeout` or `.disconnected`.
    public func emitWithAck(_ event: String, _ arguments: SocketIOValue...) async throws(SocketIOAckError) -> [SocketIOValue] {
        try await self.socket.emitWithAck(event, arguments: arguments, timeout: self.ackTimeout)
    }
}
