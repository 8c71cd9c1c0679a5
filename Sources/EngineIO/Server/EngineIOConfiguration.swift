/// Settings of one Engine.IO endpoint. Defaults are those of the Node.js reference server.
public struct EngineIOConfiguration: Sendable {
    /// URL path the endpoint answers on; both `/socket.io` and `/socket.io/` match.
    public var path: String
    /// How often the server pings each session.
    public var pingInterval: Duration
    /// How long a client may take to answer a ping before its session is closed.
    public var pingTimeout: Duration
    /// Largest polling request body or websocket message accepted, in bytes.
    public var maxPayload: Int
    /// How long an upgrading websocket may take to send the `upgrade` packet after its probe.
    public var upgradeTimeout: Duration
    /// Transports clients may use.
    public var transports: Set<EngineIOTransportKind>
    /// Frames a session may have waiting to be written before it is treated as a consumer too slow
    /// to keep and closed. Bounds the memory one client can pin on the server.
    public var maxQueuedFrames: Int
    /// Cross-origin rules for the polling transport.
    public var cors: EngineIOCORSConfiguration
    /// permessage-deflate on websockets; off when nil (the default, as in Node).
    public var perMessageDeflate: EngineIOCompression?
    /// Compression of polling responses; off when nil. On by default, as in Node.
    public var httpCompression: EngineIOCompression?
    /// Whether Engine.IO 3 clients (`EIO=3`: socket.io-client 2.x) may connect. Off by default,
    /// as in Node: their heartbeat and encodings are older, and the Socket.IO layer gives them
    /// the socket ids the 2.x client computes itself, from the session id; such a socket id is
    /// then as secret as the session id (which authenticates polling requests): do not show it
    /// to other clients.
    public var allowEIO3: Bool

    /// Each parameter sets the property of the same name; the defaults are the Node server's
    /// (`maxQueuedFrames` and `cors`, which it has not, are ours).
    public init(
        path: String = "/socket.io/",
        pingInterval: Duration = .milliseconds(25_000),
        pingTimeout: Duration = .milliseconds(20_000),
        maxPayload: Int = 1_000_000,
        upgradeTimeout: Duration = .milliseconds(10_000),
        transports: Set<EngineIOTransportKind> = [.polling, .websocket],
        maxQueuedFrames: Int = 1024,
        cors: EngineIOCORSConfiguration = .none,
        perMessageDeflate: EngineIOCompression? = nil,
        httpCompression: EngineIOCompression? = .init(),
        allowEIO3: Bool = false
    ) {
        self.path = path
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
        self.upgradeTimeout = upgradeTimeout
        self.transports = transports
        self.maxQueuedFrames = maxQueuedFrames
        self.cors = cors
        self.perMessageDeflate = perMessageDeflate
        self.httpCompression = httpCompression
        self.allowEIO3 = allowEIO3
    }

    /// The path without its trailing slash, the form requests are matched against.
    var normalizedPath: Substring {
        Self.normalize(self.path)
    }

    /// `/socket.io/` and `/socket.io` are the same endpoint.
    static func normalize(_ path: some StringProtocol) -> Substring {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return path
    }
}

/// The two Engine.IO transports.
public enum EngineIOTransportKind: String, Sendable, Hashable, CaseIterable {
    /// HTTP long-polling: a `GET` waits for the server's packets, a `POST` carries the client's.
    case polling
    /// One websocket for the whole session, from the start or after an upgrade from polling.
    case websocket
}

extension Duration {
    /// Whole milliseconds, as the handshake expresses them.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
