import EngineIO

/// Why a socket left its namespace. The raw values are the Node server's reason strings.
public enum SocketIODisconnectReason: String, Sendable, Hashable {
    case serverNamespaceDisconnect = "server namespace disconnect"
    case clientNamespaceDisconnect = "client namespace disconnect"
    case serverShuttingDown = "server shutting down"
    case pingTimeout = "ping timeout"
    case transportClose = "transport close"
    case transportError = "transport error"
    case parseError = "parse error"
    case forcedClose = "forced close"
    case payloadTooLarge = "payload too large"
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
