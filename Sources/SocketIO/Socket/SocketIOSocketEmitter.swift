/// A socket's emits with a modifier (`socket.volatile`, `socket.timeout(_:)`), as Node chains
/// them: `socket.timeout(.seconds(2)).emitWithAck("question")`.
public struct SocketIOSocketEmitter: Sendable {
    public let socket: SocketIOSocket
    public private(set) var volatile = false
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

    public func emit(_ event: String, _ arguments: SocketIOValue...) {
        self.emit(event, arguments: arguments)
    }

    public func emit(_ event: String, arguments: [SocketIOValue]) {
        if self.volatile {
            self.socket.emitVolatile(event, arguments: arguments)
        } else {
            self.socket.emit(event, arguments: arguments)
        }
    }

    /// - Throws: The encoding error of a value that has no JSON form; nothing is sent then.
    public func emit<each Argument: Encodable>(_ event: String, encoding arguments: repeat each Argument) throws {
        self.emit(event, arguments: try SocketIOValue.encodingEach(repeat each arguments))
    }

    /// Waits for the client's acknowledgement (an acknowledged emit is never volatile: it is
    /// waited for).
    public func emitWithAck(_ event: String, _ arguments: SocketIOValue...) async throws(SocketIOAckError) -> [SocketIOValue] {
        try await self.socket.emitWithAck(event, arguments: arguments, timeout: self.ackTimeout)
    }
}
