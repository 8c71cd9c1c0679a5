/// Decides whether a new session may open (e.g. a per-address connection limit). Asked at every
/// handshake; an admitted session's `release` runs exactly once, when it closes.
public protocol EngineIOAdmissionPolicy: Sendable {
    func admit(_ request: EngineIOConnectionRequest) -> EngineIOAdmission
}

public enum EngineIOAdmission: Sendable {
    case admitted(release: @Sendable () -> Void)
    /// Refused with this error: polling gets its JSON answer, a websocket upgrade is refused.
    case refused(EngineIORequestError)
}
