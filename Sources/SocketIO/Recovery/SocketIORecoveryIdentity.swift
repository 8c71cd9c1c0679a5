/// A socket's part in connection-state recovery: one reference on the socket, and nothing
/// at all when recovery is off.
final class SocketIORecoveryIdentity: Sendable {
    /// The secret its client presents to come back as this socket.
    let privateID: String
    /// Whether the socket is a recovered session.
    let recovered: Bool

    init(privateID: String, recovered: Bool) {
        self.privateID = privateID
        self.recovered = recovered
    }
}

extension SocketIODisconnectReason {
    /// The reasons a client may come back from as the same socket: its connection was lost or
    /// closed under it, not ended on purpose by either side (Node's `RECOVERABLE_DISCONNECT_REASONS`).
    var isRecoverable: Bool {
        switch self {
        case .transportClose, .transportError, .pingTimeout, .serverShuttingDown, .forcedClose: true
        default: false
        }
    }
}
