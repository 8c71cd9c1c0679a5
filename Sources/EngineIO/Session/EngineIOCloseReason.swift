import NIOWebSocket

/// Why a session ended. The layer above turns it into its own disconnect reason.
public enum EngineIOCloseReason: Sendable, Hashable {
    /// The server closed the session on purpose; queued packets are flushed first.
    case serverClose
    /// The client sent a `close` packet.
    case clientClose
    /// The client's connection went away.
    case transportClose
    /// The transport failed or the client broke the protocol (e.g. two concurrent polls).
    case transportError(String)
    /// No pong within `pingTimeout` of a ping.
    case pingTimeout
    /// The client sent bytes that are not Engine.IO (or, via the layer above, not Socket.IO).
    case parseError
    /// A message or polling body was larger than `maxPayload`.
    case payloadTooLarge
    /// The client did not read fast enough and its outbound queue filled up.
    case outboundQueueOverflow
    /// The server is stopping: clients should reconnect, to another node if there is one.
    case serverShutdown

    /// Whether packets still queued should reach the client before the transport closes.
    var flushesQueue: Bool {
        switch self {
        case .serverClose, .serverShutdown: true
        default: false
        }
    }

    /// The packet a polling client reads last. None for a stopping server: its next poll is
    /// refused instead (`poll()`), which every client takes for a failed transport and
    /// reconnects, where python-socketio takes a `close` packet for a deliberate disconnect and
    /// stays down.
    var finalPollingFrame: EngineIOFrame? {
        switch self {
        case .clientClose: EngineIOPacket.noop.frame
        case .serverShutdown: nil
        default: EngineIOPacket.close.frame
        }
    }

    /// The websocket close code that ends a session closed for this reason. A stopping server
    /// says 1001 "going away" (RFC 6455 §7.4.1): clients reconnect on it (the C++ client does
    /// not on 1000 "normal").
    var webSocketCloseCode: WebSocketErrorCode {
        self == .serverShutdown ? .goingAway : .normalClosure
    }
}
