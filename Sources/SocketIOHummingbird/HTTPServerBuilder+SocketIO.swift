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
    ///
    /// - Parameters:
    ///   - io: The Socket.IO server whose endpoint answers its path.
    ///   - configuration: Hummingbird's HTTP/1.1 settings; its header limit also bounds the first
    ///     request head read to spot a websocket upgrade.
    /// - Returns: A server builder for `Application(server:)`, or to wrap in
    ///   `.tls(_:tlsConfiguration:)`.
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
    ///
    /// - Parameters:
    ///   - io: The Socket.IO server whose endpoint answers its path.
    ///   - maximumHeadBytes: The longest first request head read before `base` gets the
    ///     connection; use the base channel's own header limit.
    ///   - base: Builds the channel of every other connection, from the responder it must
    ///     answer with.
    /// - Returns: A server builder for `Application(server:)`.
    public static func socketIO<Base: HTTPChannelHandler>(
        _ io: SocketIOServer,
        maximumHeadBytes: Int = HTTP1Channel.Configuration().httpDecoder.maxHeaderListSize,
        beside base: @escaping @Sendable (@escaping HTTPChannelHandler.Responder) -> Base
    ) -> HTTPServerBuilder {
        .engineIO([io.engine], maximumHeadBytes: maximumHeadBytes, beside: base)
    }

    /// Raw Engine.IO endpoints (no Socket.IO) in front of another HTTP channel.
    ///
    /// - Parameters:
    ///   - servers: The endpoints, each on its own path.
    ///   - maximumHeadBytes: The longest first request head read before `base` gets the
    ///     connection; use the base channel's own header limit.
    ///   - base: Builds the channel of every other connection, from the responder it must
    ///     answer with.
    /// - Returns: A server builder for `Application(server:)`.
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
