public import EngineIO
public import HummingbirdCore
public import SocketIO

extension HTTPServerBuilder {
    /// HTTP/1.1 with a Socket.IO server's endpoint in front: its websockets and polling
    /// requests are the Socket.IO server's, everything else Hummingbird's as with `.http1()`.
    ///
    /// ```swift
    /// let app = Application(router: router, server: .socketIO(io), services: [io])
    /// ```
    public static func socketIO(_ io: SocketIOServer, configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .engineIO([io.engine], maximumHeadBytes: configuration.httpDecoder.maxHeaderListSize) { responder in
            HTTP1Channel(responder: responder, configuration: configuration)
        }
    }

    /// A Socket.IO server's endpoint in front of another HTTP channel, such as
    /// hummingbird-websocket's, so its websocket routes work beside Socket.IO:
    ///
    /// ```swift
    /// server: .socketIO(io) { responder in
    ///     HTTP1WebSocketUpgradeChannel(responder: responder, webSocketRouter: webSocketRouter)
    /// }
    /// ```
    public static func socketIO<Base: HTTPChannelHandler>(
        _ io: SocketIOServer,
        maximumHeadBytes: Int = HTTP1Channel.Configuration().httpDecoder.maxHeaderListSize,
        beside base: @escaping @Sendable (@escaping HTTPChannelHandler.Responder) -> Base
    ) -> HTTPServerBuilder {
        .engineIO([io.engine], maximumHeadBytes: maximumHeadBytes, beside: base)
    }

    /// Raw Engine.IO endpoints (no Socket.IO) in front of another HTTP channel.
    public static func engineIO<Base: HTTPChannelHandler>(
        _ servers: [EngineIOServer],
        maximumHeadBytes: Int = HTTP1Channel.Configuration().httpDecoder.maxHeaderListSize,
        beside base: @escaping @Sendable (@escaping HTTPChannelHandler.Responder) -> Base
    ) -> HTTPServerBuilder {
        .init { responder in
            EngineIOHTTPChannel(servers: servers, maximumHeadBytes: maximumHeadBytes, responder: responder, base: base)
        }
    }
}
