/// The Engine.IO protocol revision a session speaks, from its handshake's `EIO` query parameter.
///
/// Revision 3 is what socket.io-client 2.x (still in older mobile apps) speaks; a server takes
/// it only when `EngineIOConfiguration.allowEIO3` is on. Its differences are confined to the
/// transports' encodings and the heartbeat, so the layers above see the same sessions.
public enum EngineIOProtocolRevision: Int, Sendable, Hashable {
    /// Engine.IO 3: the client pings and the server answers; polling bodies are length-prefixed;
    /// a binary websocket message starts with its packet type byte.
    case v3 = 3
    /// Engine.IO 4, the current revision.
    case v4 = 4
}
