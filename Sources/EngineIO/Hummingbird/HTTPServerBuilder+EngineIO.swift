import HummingbirdCore
import HummingbirdWebSocket
import Logging

extension HTTPServerBuilder {
    /// HTTP/1.1 with websocket upgrades for the given Engine.IO endpoints. Pair it with an
    /// `EngineIOMiddleware` per endpoint on the router for the polling transport.
    ///
    /// The websocket library's own ping is off (Engine.IO has its own heartbeat) and its frame
    /// limit is raised to the largest `maxPayload`.
    public static func engineIO(_ servers: [EngineIOServer], http1: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        let maxFrameSize = servers.map(\.configuration.maxPayload).max() ?? 1_000_000
        return .http1WebSocketUpgrade(
            configuration: .init(
                http1: http1,
                ws: .init(maxFrameSize: maxFrameSize, autoPing: .disabled, closeTimeout: .seconds(5))
            )
        ) { head, channel, _ in
            for server in servers {
                if let decision = server.shouldUpgrade(head, channel: channel) { return decision }
            }
            return .dontUpgrade
        }
    }
}
