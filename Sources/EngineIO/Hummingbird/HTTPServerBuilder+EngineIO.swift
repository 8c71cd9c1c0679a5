import HummingbirdCore

extension HTTPServerBuilder {
    /// HTTP/1.1 with websocket upgrades for the given Engine.IO endpoints. Pair it with an
    /// `EngineIOMiddleware` per endpoint on the router for the polling transport.
    public static func engineIO(_ servers: [EngineIOServer], http1: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            EngineIOHTTPChannel(servers: servers, http1: http1, responder: responder)
        }
    }
}
