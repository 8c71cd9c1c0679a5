/// The layer above Engine.IO (Socket.IO, or any other), told about one session's traffic.
///
/// `didReceive` is called by the transport that read the message (on the websocket's event loop,
/// or in the polling POST's task), one message at a time and in order. It must not block or
/// wait: work that waits goes to a task of the delegate's own. `didClose` is called exactly once.
public protocol EngineIOSessionDelegate: Sendable {
    /// The client sent a message. Called in order, one at a time, until the session closes.
    /// - Parameters:
    ///   - session: The session it came on.
    ///   - message: The message, text or binary.
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage)

    /// The session ended, for whatever reason; called once, after which nothing is delivered.
    /// - Parameters:
    ///   - session: The session that ended.
    ///   - reason: Why it ended.
    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason)
}
