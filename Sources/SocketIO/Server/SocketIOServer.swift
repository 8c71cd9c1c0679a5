import EngineIO
import Logging
import Synchronization

/// A Socket.IO server: namespaces on top of an Engine.IO endpoint.
///
/// ```swift
/// let io = SocketIOServer()
/// io.main.onConnection { socket in
///     socket.on("hello") { event in event.ack?("hi") }
/// }
/// let engine = EngineIOServer(configuration: .init(), onConnection: io.makeClient)
/// ```
public final class SocketIOServer: Sendable {
    public let configuration: SocketIOConfiguration
    let logger: Logger
    private let adapterFactory: any SocketIOAdapterFactory
    private let namespaces: Mutex<[String: SocketIONamespace]>
    let socketIDs = RandomIDGenerator()

    public init(
        configuration: SocketIOConfiguration = .init(),
        adapter: any SocketIOAdapterFactory = InMemoryAdapterFactory(),
        logger: Logger = Logger(label: "socket.io")
    ) {
        self.configuration = configuration
        self.adapterFactory = adapter
        self.logger = logger
        self.namespaces = Mutex([:])
        _ = self.of("/")
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

    /// The Engine.IO connection handler: pass it as `EngineIOServer`'s `onConnection`.
    @Sendable
    public func makeClient(for session: EngineIOSession) -> any EngineIOSessionDelegate {
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
