import HTTPTypes
import Logging
import NIOCore

/// The websocket transport's handshake: new sessions opened over websocket, and polling
/// sessions upgrading. The connection itself is served by `EngineIOWebSocketHandler`.
extension EngineIOServer {
    /// Decides a websocket upgrade request. Nil when the path is not this endpoint's (so several
    /// endpoints can share one server); `.refused` answers the upgrade with 400.
    func webSocketUpgrade(target: String, headers: HTTPFields, channel: any Channel) -> WebSocketUpgradeDecision? {
        let pathEnd = target.firstIndex(of: "?") ?? target.endIndex
        guard self.matches(path: target[..<pathEnd]) else { return nil }
        let rawQuery = pathEnd < target.endIndex ? target[target.index(after: pathEnd)...] : nil
        let query = EngineIOConnectionRequest.parseQuery(rawQuery)
        do {
            guard try self.validateHandshakeQuery(query) == .websocket else {
                throw EngineIORequestError(.badRequest, detail: "transport=polling on a websocket upgrade")
            }
            if let sid = query["sid"] {
                guard let session = self.registry.session(id: sid) else {
                    throw EngineIORequestError(.unknownSessionID, detail: "sid=\(sid)")
                }
                return .accepted(.upgrade(session))
            }
            let request = EngineIOConnectionRequest(
                path: String(target[..<pathEnd]),
                rawQuery: rawQuery,
                headers: headers,
                remoteAddress: channel.remoteAddress,
                transport: .websocket
            )
            // Released when the session closes or, if the Engine.IO handler cannot be installed,
            // by the upgrade detector that failed to install it.
            let release = try self.admit(request).map(ReleaseOnce.init)
            return .accepted(.newSession(request, release: release))
        } catch {
            self.logger.debug("Websocket upgrade refused", metadata: ["error": "\(error)"])
            return .refused
        }
    }
}

/// An endpoint's answer to a websocket upgrade request for its path.
enum WebSocketUpgradeDecision: Sendable {
    case accepted(WebSocketUpgrade)
    case refused
}
