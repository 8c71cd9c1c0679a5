import EngineIO
import SocketIO
import Synchronization

/// A test client's way into its Engine.IO session: what it sends goes straight to the server's
/// session, as if read from a websocket; what the server writes is read back with `nextFrames`.
final class InProcessTransport: Sendable {
    let session: EngineIOSession
    /// Held while one packet's messages go in, so the attachments of a binary packet sent from
    /// one task are not interleaved with another task's packet.
    private let sending = Mutex(())

    init(session: EngineIOSession) {
        self.session = session
    }

    /// Sends a Socket.IO packet: its text message, then one binary message per attachment.
    func send(_ packet: SocketIOPacket) {
        let messages = packet.encoded().messages
        self.sending.withLock { _ in
            for message in messages { self.session.receiveInProcess(.message(message)) }
        }
    }

    /// Sends an Engine.IO packet of the client's own (a heartbeat's pong, a close).
    func send(_ packet: EngineIOPacket) {
        self.sending.withLock { _ in self.session.receiveInProcess(packet) }
    }

    /// Closes the connection as a client does, with an Engine.IO `close` packet.
    func close() {
        self.send(EngineIOPacket.close)
    }
}
