import SocketIO

/// Sends a test client's answers to the server's `emitWithAck` in one namespace: the sender
/// behind each `SocketIOAcknowledgement` a received event carries.
final class SocketIOTestAcknowledger: SocketIOAcknowledgementSender {
    private let transport: InProcessTransport
    private let namespace: String

    init(transport: InProcessTransport, namespace: String) {
        self.transport = transport
        self.namespace = namespace
    }

    func sendAcknowledgement(_ id: Int, arguments: [SocketIOValue]) {
        self.transport.send(.ack(id, arguments, namespace: self.namespace))
    }
}
