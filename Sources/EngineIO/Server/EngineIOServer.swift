import HTTPTypes
public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// One Engine.IO endpoint: its sessions, handshakes and the rules of its configuration.
///
/// Independent of any HTTP framework: `respond(to:)` answers the polling transport's requests
/// that an integration hands over, and `WebSocketUpgradeDetector`, first in a connection's
/// pipeline, turns websocket upgrades into sessions served by `EngineIOWebSocketHandler`.
public final class EngineIOServer: Sendable {
    /// Gives each new session the delegate that handles its messages and its close.
    public typealias ConnectionHandler = @Sendable (EngineIOSession) -> any EngineIOSessionDelegate

    /// The endpoint's settings, fixed for its life.
    public var configuration: EngineIOConfiguration { self.endpoint.configuration }
    var logger: Logger { self.endpoint.logger }
    var registry: SessionRegistry { self.endpoint.registry }
    /// Shared by every session of this endpoint.
    private let endpoint: SessionEndpoint
    /// Websocket writes asked of each event loop from other threads, gathered per loop.
    let writeBatchers = PerEventLoop { EventLoopWriteBatcher(eventLoop: $0) }
    /// Each event loop's permessage-deflate streams, when the extension is on.
    let webSocketCompression: PerEventLoop<WebSocketCompression>?
    /// Compresses polling responses, when `httpCompression` is on.
    let httpCompressor: HTTPResponseCompressor?
    /// The heartbeats of this endpoint's sessions, per loop.
    private let heartbeats: PerEventLoop<HeartbeatScheduler>
    private let sessionIDs = RandomIDGenerator()
    private let eventLoopGroup: any EventLoopGroup
    private let onConnection: ConnectionHandler
    private let admission: (any EngineIOAdmissionPolicy)?
    private let isClosed = Atomic<Bool>(false)

    /// - Parameters:
    ///   - configuration: The endpoint's path, heartbeat, limits, transports and CORS rules.
    ///   - eventLoopGroup: runs the polling sessions' heartbeats; the group the HTTP server uses is a good choice.
    ///   - logger: Where the endpoint and its sessions log (sessions add their id as `eio.sid`).
    ///   - admission: asked whether each new session may open; nil admits all.
    ///   - onConnection: called for every new session, before any of its messages, to get the
    ///     delegate that handles its traffic.
    public init(
        configuration: EngineIOConfiguration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "engine.io"),
        admission: (any EngineIOAdmissionPolicy)? = nil,
        onConnection: @escaping ConnectionHandler
    ) {
        self.endpoint = SessionEndpoint(configuration: configuration, logger: logger)
        self.httpCompressor = configuration.httpCompression.map { HTTPResponseCompressor(settings: $0) }
        self.webSocketCompression = configuration.perMessageDeflate.map { settings in PerEventLoop { _ in WebSocketCompression(settings: settings) } }
        self.heartbeats = PerEventLoop { HeartbeatScheduler(eventLoop: $0, configuration: configuration) }
        self.eventLoopGroup = eventLoopGroup
        self.admission = admission
        self.onConnection = onConnection
    }

    /// Number of sessions currently open (or draining their last frames).
    public var sessionCount: Int { self.registry.count }

    /// The open session with this id, if any.
    package func session(id: String) -> EngineIOSession? {
        self.registry.session(id: id)
    }

    /// Stops admitting sessions and closes every open one with `serverShutdown`, the way every
    /// client answers by reconnecting (to another node if there is one): a websocket close 1001
    /// "going away"; on polling, the last queued packets, then a 503 for the next poll.
    /// Handshakes from here on are answered 503.
    public func close() {
        self.isClosed.store(true, ordering: .sequentiallyConsistent)
        for session in self.registry.all {
            session.close(reason: .serverShutdown)
        }
    }

    /// Whether a request path (without query) is this endpoint's: how an integration decides
    /// which requests to hand to `respond(to:)`.
    /// - Parameter path: A request path, without its query.
    /// - Returns: True for the configured path, with or without its trailing slash.
    public func matches(path: some StringProtocol) -> Bool {
        EngineIOConfiguration.normalize(path) == self.configuration.normalizedPath
    }

    /// Checks the query of a request that carries no session id, as the protocol requires of a
    /// handshake: a known, enabled transport and `EIO=4` (or `EIO=3` when `allowEIO3` is on).
    func validateHandshakeQuery(_ query: [String: String]) throws(EngineIORequestError) -> EngineIOTransportKind {
        let transport = try self.validateTransport(query)
        guard query["EIO"] == "4" || (query["EIO"] == "3" && self.configuration.allowEIO3) else {
            throw EngineIORequestError(.unsupportedProtocolVersion, detail: "EIO=\(query["EIO"] ?? "missing")")
        }
        return transport
    }

    func validateTransport(_ query: [String: String]) throws(EngineIORequestError) -> EngineIOTransportKind {
        guard let name = query["transport"], let transport = EngineIOTransportKind(rawValue: name),
            self.configuration.transports.contains(transport)
        else {
            throw EngineIORequestError(.unknownTransport, detail: "transport=\(query["transport"] ?? "missing")")
        }
        return transport
    }

    /// Asks the admission policy about a handshake; the release to run when its session closes.
    func admit(_ request: EngineIOConnectionRequest) throws(EngineIORequestError) -> (@Sendable () -> Void)? {
        guard !self.isClosed.load(ordering: .sequentiallyConsistent) else {
            throw EngineIORequestError(.forbidden, detail: "server shutting down", status: .serviceUnavailable)
        }
        guard let admission = self.admission else { return nil }
        switch admission.admit(request) {
        case .admitted(let release): return release
        case .refused(let error): throw error
        }
    }

    /// Creates and registers a session. The caller sends the handshake, then calls `start`.
    /// A websocket session passes its channel's event loop, so its timers and writes never hop.
    func makeSession(for request: EngineIOConnectionRequest, release: (@Sendable () -> Void)?, eventLoop: (any EventLoop)? = nil) -> EngineIOSession {
        let eventLoop = eventLoop ?? self.eventLoopGroup.next()
        let session = EngineIOSession(
            id: self.sessionIDs.next(),
            request: request,
            endpoint: self.endpoint,
            taskExecutor: EventLoopTaskExecutor.shared(for: eventLoop),
            heartbeats: self.heartbeats.value(for: eventLoop),
            onClose: release
        )
        self.registry.insert(session)
        return session
    }

    /// Hands a new session to the layer above and starts its heartbeat.
    func start(_ session: EngineIOSession) {
        session.attach(self.onConnection(session))
        session.startHeartbeat()
    }
}
