import EngineIO

/// Why a socket left its namespace. The raw values are the Node server's reason strings, but for
/// `payloadTooLarge`, `slowConsumer` and `rateLimited`, which are this server's own.
public enum SocketIODisconnectReason: String, Sendable, Hashable {
    /// The server called `disconnect()` on the socket.
    case serverNamespaceDisconnect = "server namespace disconnect"
    /// The client called `socket.disconnect()`.
    case clientNamespaceDisconnect = "client namespace disconnect"
    /// The server is closing (`SocketIOServer.close(timeout:)`, a graceful shutdown).
    case serverShuttingDown = "server shutting down"
    /// The client stopped answering the heartbeat.
    case pingTimeout = "ping timeout"
    /// The client closed the connection, or it was lost.
    case transportClose = "transport close"
    /// The connection failed, or the client sent events faster than its handlers finish
    /// (`SocketIOConfiguration.maximumPendingEvents`).
    case transportError = "transport error"
    /// The client sent something that is not a valid packet.
    case parseError = "parse error"
    /// The server closed the whole connection: the socket's other namespaces see this when
    /// one of them is disconnected with `closeConnection`.
    case forcedClose = "forced close"
    /// The client sent a message larger than Engine.IO's `maxPayload`.
    case payloadTooLarge = "payload too large"
    /// The client read its frames too slowly and the server's queue for it overflowed.
    case slowConsumer = "slow consumer"
    /// The connection sent more packets than its `PacketRateLimit` allows.
    case rateLimited = "rate limited"

    init(_ reason: EngineIOCloseReason) {
        switch reason {
        case .serverClose: self = .forcedClose
        case .clientClose, .transportClose: self = .transportClose
        case .transportError: self = .transportError
        case .pingTimeout: self = .pingTimeout
        case .parseError: self = .parseError
        case .payloadTooLarge: self = .payloadTooLarge
        case .outboundQueueOverflow: self = .slowConsumer
        case .serverShutdown: self = .serverShuttingDown
        }
    }
}
