import NIOCore

/// Sessions with no network transport, driven from within this package (its test support): a
/// client's messages go in as `receiveInProcess`, what the server would write comes out of
/// `nextTextFrames`. The one seam tests use, so they need no `@testable` access to the rest.
extension EngineIOServer {
    /// Opens and starts a session for `request`, as a handshake would.
    package func openInProcessSession(_ request: EngineIOConnectionRequest) -> EngineIOSession {
        let session = self.makeSession(for: request, release: nil)
        self.start(session)
        return session
    }
}

extension EngineIOSession {
    /// Handles a message as if the client had sent it.
    package func receiveInProcess(_ message: EngineIOMessage) {
        self.receive(.message(message))
    }

    /// The text frames the server writes next, once there are any; nil once the session is over.
    package func nextTextFrames() async -> [String]? {
        switch await self.nextBatch() {
        case .frames(let frames):
            frames.compactMap { frame in
                guard case .text(let buffer) = frame else { return nil }
                return String(buffer: buffer)
            }
        case .closed:
            nil
        }
    }
}
