public import EngineIO
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A Socket.IO server: the Engine.IO endpoint it is served on, its namespaces and their
/// adapter. Run it as a swift-service-lifecycle `Service` and mount it on an HTTP server (with
/// Hummingbird: `server: .socketIO(io)` from `SocketIOHummingbird`).
///
/// ```swift
/// let io = SocketIOServer()
/// io.main.onConnection { socket in
///     socket.on("hello") { event in event.ack?.send("hi") }
/// }
/// let app = Application(router: Router(), server: .socketIO(io))
/// try await ServiceGroup(services: [app, io], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
///
/// List it after the HTTP application in the service group: a group shuts its services down in
/// reverse order, so the sockets are told and their sessions closed before the HTTP server
/// stops and waits for the polling requests still open.
public final class SocketIOServer: Service, SocketIOBroadcasting {
    /// The Socket.IO settings it was made with.
    public let configuration: SocketIOConfiguration
    /// The Engine.IO endpoint this server's clients connect through.
    public let engine: EngineIOServer
    let logger: Logger
    private let adapterFactory: any SocketIOAdapterFactory
    private let namespaces: Mutex<Namespaces>

    private struct Namespaces {
        var namespaces: [String: SocketIONamespace] = [:]
        var groups: [SocketIONamespaceGroup] = []
    }
    let socketIDs = RandomIDGenerator()

    /// A server with its main namespace, `/`; mount `engine` on an HTTP server to serve it.
    ///
    /// - Parameters:
    ///   - configuration: The Socket.IO layer's settings (connect timeout, limits, ack timeout).
    ///   - engineConfiguration: The Engine.IO endpoint's settings (path, heartbeat, payload limit, CORS).
    ///   - eventLoopGroup: Runs the polling sessions' heartbeats; the HTTP server's group.
    ///   - admission: Asked whether each new Engine.IO session may open; nil admits all.
    ///   - adapter: Makes each namespace's adapter (rooms, broadcasts; a cluster's link).
    ///   - logger: Logs the server's, its sessions' and its sockets' events.
    public init(
        configuration: SocketIOConfiguration = .init(),
        engine engineConfiguration: EngineIOConfiguration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        admission: (any EngineIOAdmissionPolicy)? = nil,
        adapter: any SocketIOAdapterFactory = InMemoryAdapterFactory(),
        logger: Logger = Logger(label: "socket.io")
    ) {
        // The endpoint is created before this server exists: it reaches the server through a handoff.
        let handoff = SessionHandoff()
        self.configuration = configuration
        self.engine = EngineIOServer(
            configuration: engineConfiguration,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            admission: admission,
            onConnection: handoff.delegate
        )
        self.adapterFactory = adapter
        self.logger = logger
        self.namespaces = Mutex(Namespaces())
        handoff.hand(to: self)
        _ = self.of("/")
    }

    /// Serves until a graceful shutdown is asked for, then closes (see `close(timeout:)`).
    public func run() async throws {
        // Cancelled rather than shut down gracefully: the process is going; close all the same.
        try? await gracefulShutdown()
        await self.close()
    }

    /// Stops admitting connections, disconnects every socket with the reason `server shutting
    /// down` (its `disconnecting` and `disconnect` handlers run), and closes every Engine.IO
    /// session so that each official client reconnects; returns once all are closed, or at
    /// `timeout`.
    public func close(timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        self.engine.close()
        while self.engine.sessionCount > 0, ContinuousClock.now < deadline {
            // Runs once, at shutdown: polling the count needs no wake-up plumbing.
            try? await Task.sleep(for: .milliseconds(5))
        }
        if self.engine.sessionCount > 0 {
            self.logger.warning("Sessions still open after closing", metadata: ["sessions": "\(self.engine.sessionCount)", "timeout": "\(timeout)"])
        }
    }

    /// The namespace `name`, created on first use. Clients may connect only to namespaces that
    /// exist, or that a dynamic group (`of(matching:)`) accepts.
    public func of(_ name: String) -> SocketIONamespace {
        let name = Self.normalized(name)
        return self.namespaces.withLock { state in
            if let existing = state.namespaces[name] { return existing }
            let namespace = self.makeNamespace(name)
            state.namespaces[name] = namespace
            return namespace
        }
    }

    /// A group of namespaces created on demand: a client's CONNECT to a name that exists as no
    /// namespace creates it when `accepts` says yes (groups are asked in the order they were
    /// made). See `SocketIONamespaceGroup`.
    public func of(matching accepts: @escaping SocketIONamespaceGroup.Matcher) -> SocketIONamespaceGroup {
        self.addGroup(SocketIONamespaceGroup(server: self, description: "dynamic namespaces #\(self.namespaces.withLock { $0.groups.count + 1 })", matcher: accepts))
    }

    /// A group of namespaces created on demand for the names that wholly match `pattern`
    /// (Node's `io.of(/^\/tenant-\d+$/)`).
    public func of<Output>(matching pattern: Regex<Output>) -> SocketIONamespaceGroup {
        // Regex is not Sendable; the group keeps this copy only to match with, never to mutate.
        nonisolated(unsafe) let pattern = pattern
        return self.of(matching: { name, _ in (try? pattern.wholeMatch(in: name)) != nil })
    }

    private func addGroup(_ group: SocketIONamespaceGroup) -> SocketIONamespaceGroup {
        self.namespaces.withLock { $0.groups.append(group) }
        return group
    }

    /// The main namespace, `/`.
    public var main: SocketIONamespace { self.of("/") }

    /// Every socket of the main namespace (as Node's `io.emit` and `io.to` are the main
    /// namespace's).
    public var all: SocketIOBroadcastOperator { self.main.all }

    /// Handles a server-side event another node sent to the main namespace (see
    /// `SocketIONamespace.onServerSideEmit`).
    public func onServerSideEmit(_ event: String, _ handler: @escaping SocketIOServerSideEvent.Handler) {
        self.main.onServerSideEmit(event, handler)
    }

    /// Sends a server-side event to the main namespace of every other node.
    public func serverSideEmit(_ event: String, _ arguments: SocketIOValue...) async {
        await self.main.serverSideEmit(event, arguments: arguments)
    }

    /// Sends a server-side event to every other node and collects their answers (see
    /// `SocketIONamespace.serverSideEmitWithAck`).
    public func serverSideEmitWithAck(_ event: String, _ arguments: SocketIOValue..., timeout: Duration? = nil) async throws(SocketIOAckTimeoutError) -> [SocketIOValue] {
        try await self.main.serverSideEmitWithAck(event, arguments: arguments, timeout: timeout)
    }

    func existingNamespace(_ name: String) -> SocketIONamespace? {
        self.namespaces.withLock { $0.namespaces[name] }
    }

    /// Whether a client's CONNECT could need a dynamic group to find its namespace.
    var hasGroups: Bool { self.namespaces.withLock { !$0.groups.isEmpty } }

    /// The namespace a CONNECT for `name` joins: an existing one, or one a group accepts and
    /// that is created for it now; nil when there is none.
    func namespace(connectingTo name: String, auth: SocketIOValue) async -> SocketIONamespace? {
        if let existing = self.existingNamespace(name) { return existing }
        for group in self.namespaces.withLock({ $0.groups }) where await group.matches(name, auth: auth) {
            return self.namespaces.withLock { state in
                // Another client may have created it while the group decided.
                if let existing = state.namespaces[name] { return existing }
                let namespace = self.makeNamespace(name, group: group)
                state.namespaces[name] = namespace
                group.add(namespace)
                return namespace
            }
        }
        return nil
    }

    private func makeNamespace(_ name: String, group: SocketIONamespaceGroup? = nil) -> SocketIONamespace {
        SocketIONamespace(
            name: name,
            server: self,
            adapter: self.adapterFactory.makeAdapter(namespace: name),
            sessionStore: self.configuration.connectionStateRecovery.map { self.adapterFactory.makeSessionStore(namespace: name, limits: $0) },
            group: group
        )
    }

    private static func normalized(_ name: String) -> String {
        name.hasPrefix("/") ? name : "/" + name
    }

    func makeClient(for session: EngineIOSession) -> any EngineIOSessionDelegate {
        let client = SocketIOClient(session: session, server: self)
        if client.legacyProtocol { client.connectDefaultNamespace() }
        return client
    }
}
