/// The layer above Engine.IO (Socket.IO, or any other), told about one session's traffic.
///
/// `didReceive` is called by the transport that read the message (on the websocket's event loop,
/// or in the polling POST's task), one message at a time and in order. It must not block or
/// wait: work that waits goes to a task of the delegate's own. `didClose` is called exactly once.
public protocol EngineIOSessionDelegate: Sendable {
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage)
    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason)
}
