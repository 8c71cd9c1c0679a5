import NIOCore

/// Sessions with no network transport, driven from within this package (the `SocketIOTesting`
/// client): what a client sends goes in as `receiveInProcess`, what the server would write comes
/// out of `nextFrames`. The one seam the testing module uses, so it needs no `@testable` access
/// to the rest.
extension EngineIOServer {
    /// Opens and starts a session for `request`, as a handshake would. The admission policy is
    /// not asked: there is no connection to count.
    package func openInProcessSession(_ request: EngineIOConnectionRequest) -> EngineIOSession {
        let session = self.makeSession(for: request, release: nil)
        self.start(session)
        return session
    }
}

extension EngineIOSession {
    /// Handles a packet as if the client had sent it: a message, a heartbeat's pong, a close.
    package func receiveInProcess(_ packet: EngineIOPacket) {
        self.receive(packet)
    }

    /// The frames the server writes next, text and binary, once there are any; nil once the
    /// session is over and nothing is left to read. Only one caller may wait at a time.
    package func nextFrames() async -> [EngineIOFrame]? {
        switch await self.nextBatch() {
        case .frames(let frames): frames
        case .closed: nil
        }
    }
}
