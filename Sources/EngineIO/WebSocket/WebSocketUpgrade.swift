/// What a websocket that an endpoint accepted is for.
enum WebSocketUpgrade: Sendable {
    /// A new session over websocket from the start.
    case newSession(EngineIOConnectionRequest, release: ReleaseOnce?)
    /// A polling session's upgrade to websocket (the probe exchange comes first).
    case upgrade(EngineIOSession)
}
