import EngineIO
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
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
public final class SocketIOServer: Service, Sendable {
    public let configuration: SocketIOConfiguration
    /// The Engine.IO endpoint this server's clients connect through.
    public let engine: EngineIOServer
    let logger: Logger
    private let adapterFactory: any SocketIOAdapterFactory
    private let namespaces: Mutex<[String: SocketIONamespace]>
    let socketIDs = RandomIDGenerator()

    /// - Parameters:
    ///   - engine: The Engine.IO endpoint's settings (path, heartbeat, payload limit, CORS).
    ///   - eventLoopGroup: Runs the polling sessions' heartbeats; the HTTP server's group.
    ///   - admission: Asked whether each new Engine.IO session may open; nil admits all.
    ///   - adapter: Makes each namespace's adapter (rooms, broadcasts; a cluster's link).
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
        self.namespaces = Mutex([:])
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

    /// The namespace `name`, created on first use. Clients may connect only to namespaces that exist.
    public func of(_ name: String) -> SocketIONamespace {
        let name = name.hasPrefix("/") ? name : "/" + name
        return self.namespaces.withLock { namespaces in
            if let existing = namespaces[name] { return existing }
            let namespace = SocketIONamespace(name: name, server: self, adapterFactory: self.adapterFactory)
            namespaces[name] = namespace
            return namespace
        }
    }

    /// The main namespace, `/`.
    public var main: SocketIONamespace { self.of("/") }

    func existingNamespace(_ name: String) -> SocketIONamespace? {
        self.namespaces.withLock { $0[name] }
    }

    func makeClient(for session: EngineIOSession) -> any EngineIOSessionDelegate {
        SocketIOClient(session: session, server: self)
    }

    /// Sends an event to every socket of the main namespace.
    public func emit(_ event: String, _ arguments: SocketIOValue...) async {
        await self.main.emit(event, arguments: arguments)
    }

    /// Targets rooms of the main namespace.
    public func to(_ rooms: String...) -> SocketIOBroadcastOperator {
        self.main.to(rooms)
    }
}
