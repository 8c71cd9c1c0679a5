import Synchronization

/// The answer to an event that asked for one. Only the first call sends anything: the protocol
/// allows one ACK per id.
///
/// The same type on both sides: a server's handler answers a client's `emitWithAck` with it, and
/// a `SocketIOTesting` client answers a server's.
public final class SocketIOAcknowledgement: Sendable {
    let id: Int
    private let sender: any SocketIOAcknowledgementSender
    private let sent = Atomic<Bool>(false)

    /// - Parameters:
    ///   - id: The ack id of the event being answered.
    ///   - sender: Sends the ACK packet in the event's namespace.
    package init(id: Int, sender: any SocketIOAcknowledgementSender) {
        self.id = id
        self.sender = sender
    }

    /// Sends the acknowledgement with `arguments`: `event.ack?("ok")`.
    public func callAsFunction(_ arguments: SocketIOValue...) {
        self.send(arguments)
    }

    /// Sends the acknowledgement with `arguments` as an array.
    public func send(_ arguments: [SocketIOValue]) {
        guard !self.sent.exchange(true, ordering: .relaxed) else { return }
        self.sender.sendAcknowledgement(self.id, arguments: arguments)
    }

    /// Whether the acknowledgement was already sent.
    public var isSent: Bool { self.sent.load(ordering: .relaxed) }
}

/// Where an acknowledgement goes: the server's socket, or a test client's namespace.
package protocol SocketIOAcknowledgementSender: AnyObject, Sendable {
    /// Sends the ACK packet `id` with `arguments`, in the sender's namespace.
    func sendAcknowledgement(_ id: Int, arguments: [SocketIOValue])
}

/// Why a server → client acknowledgement did not arrive.
public enum SocketIOAckError: Error, Hashable {
    case timeout
    case disconnected
}
