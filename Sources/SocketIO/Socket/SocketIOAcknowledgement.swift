import Synchronization

/// The answer to an event that asked for one. Only the first call sends anything: the protocol
/// allows one ACK per id.
public final class SocketIOAcknowledgement: Sendable {
    let id: Int
    private let socket: SocketIOSocket
    private let sent = Atomic<Bool>(false)

    init(id: Int, socket: SocketIOSocket) {
        self.id = id
        self.socket = socket
    }

    public func callAsFunction(_ arguments: SocketIOValue...) {
        self.send(arguments)
    }

    public func send(_ arguments: [SocketIOValue]) {
        guard !self.sent.exchange(true, ordering: .relaxed) else { return }
        self.socket.send(SocketIOPacket(kind: .ack, namespace: self.socket.namespace.name, ackID: self.id, payload: .array(arguments)))
    }

    /// Whether the acknowledgement was already sent.
    public var isSent: Bool { self.sent.load(ordering: .relaxed) }
}

/// Why a server → client acknowledgement did not arrive.
public enum SocketIOAckError: Error, Hashable {
    case timeout
    case disconnected
}
