/// Decides whether a new session may open (e.g. a per-address connection limit). Asked at every
/// handshake; an admitted session's `release` runs exactly once, when it closes.
///
/// A policy counts what it admits and frees it in `release`, so it never has to track sessions.
/// It answers synchronously: it runs on the handshake's path (for a websocket, on the
/// connection's event loop), so it must not block.
public protocol EngineIOAdmissionPolicy: Sendable {
    /// Decides one handshake.
    /// - Parameter request: The handshake request: its headers, query and peer address.
    /// - Returns: `.admitted` with the release to run when the session closes, or `.refused`.
    func admit(_ request: EngineIOConnectionRequest) -> EngineIOAdmission
}

/// An admission policy's answer to one handshake.
public enum EngineIOAdmission: Sendable {
    /// The session may open; `release` runs exactly once, when it closes (or when its websocket
    /// upgrade fails before a session exists).
    case admitted(release: @Sendable () -> Void)
    /// Refused with this error: polling gets its JSON answer, a websocket upgrade is refused.
    case refused(EngineIORequestError)
}
