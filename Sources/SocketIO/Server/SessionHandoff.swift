import EngineIO
import Synchronization

/// Hands each new Engine.IO session to the Socket.IO server that owns the endpoint. The
/// endpoint is built inside the server's initializer, before the server can be referenced, so
/// the server is set here right after; until then (never, once `init` returns) there is no
/// session to hand over, as the endpoint is not yet reachable by any client.
///
/// The endpoint and its server keep each other alive, as a Node server and its engine do: a
/// Socket.IO server lives as long as the HTTP server it is mounted on.
final class SessionHandoff: Sendable {
    private let current = Mutex<SocketIOServer?>(nil)

    func hand(to server: SocketIOServer) {
        self.current.withLock { $0 = server }
    }

    @Sendable
    func delegate(for session: EngineIOSession) -> any EngineIOSessionDelegate {
        guard let server = self.current.withLock({ $0 }) else {
            preconditionFailure("an Engine.IO session opened before its Socket.IO server was initialized")
        }
        return server.makeClient(for: session)
    }
}
