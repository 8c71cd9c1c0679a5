/// The layer above Engine.IO (Socket.IO, or any other), told about one session's traffic.
///
/// `didReceive` is awaited by the transport that read the message, so a session's messages are
/// handled one at a time and in order; `didClose` is called exactly once.
public protocol EngineIOSessionDelegate: Sendable {
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) async
    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason)
}
