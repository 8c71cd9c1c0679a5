/// A socket's emits with modifiers (`socket.volatile`, `socket.compress(_:)`,
/// `socket.timeout(_:)`), chained as in Node: `socket.timeout(.seconds(2)).emitWithAck("question")`.
public struct SocketIOSocketEmitter: Sendable {
    /// The socket emitted to.
    public let socket: SocketIOSocket
    /// Dropped when the connection cannot take the event at once.
    public private(set) var volatile = false
    /// Whether a permessage-deflate websocket may compress the event.
    public private(set) var compress = true
    /// How long `emitWithAck` waits; the server's `ackTimeout` when nil.
    public private(set) var ackTimeout: Duration?

    init(socket: SocketIOSocket, volatile: Bool = false, compress: Bool = true, ackTimeout: Duration? = nil) {
        self.socket = socket
        self.volatile = volatile
        self.compress = compress
        self.ackTimeout = ackTimeout
    }

    /// These emits, dropped when the connection cannot take them at once.
    public var volatileEmits: Self {
        var copy = self
        copy.volatile = true
        return copy
    }

    /// These emits, compressed only when `enabled`.
    public func compress(_ enabled: Bool) -> Self {
        var copy = self
        copy.compress = enabled
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
        self.socket.emit(event, arguments: arguments, volatile: self.volatile, compress: self.compress)
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
