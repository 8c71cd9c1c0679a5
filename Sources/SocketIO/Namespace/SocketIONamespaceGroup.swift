import Synchronization

/// Dynamic namespaces (Node's `io.of(/^\/tenant-\d+$/)`): namespaces created on demand, the
/// first time a client asks to connect to a name the group accepts. Each gets the group's
/// middleware and handlers (run before its own) and its own adapter and rooms.
///
/// ```swift
/// let tenants = io.of(matching: /^\/tenant-\d+$/)
/// tenants.use { context in … }            // every tenant namespace's middleware
/// tenants.onConnection { socket in … }    // socket.namespace.name is "/tenant-42"
/// await tenants.emit("maintenance")        // to every tenant namespace
/// ```
public final class SocketIONamespaceGroup: SocketIOBroadcasting {
    /// Decides whether a client may create the namespace `name`, given its CONNECT's `auth`.
    public typealias Matcher = @Sendable (_ name: String, _ auth: SocketIOValue) async -> Bool

    let handlers = SocketIONamespaceHandlers()
    private let matcher: Matcher
    private let members = Mutex<[SocketIONamespace]>([])
    /// Not a namespace clients connect to: it gives the group an operator whose adapter hands
    /// each broadcast and request to the group's namespaces.
    private let umbrella: SocketIONamespace

    init(server: SocketIOServer, description: String, matcher: @escaping Matcher) {
        self.matcher = matcher
        let forwarding = SocketIOGroupAdapter()
        self.umbrella = SocketIONamespace(name: description, server: server, adapter: forwarding)
        forwarding.group = WeakGroup(self)
    }

    /// Adds connection middleware for every namespace of the group, run before the namespace's own.
    public func use(_ middleware: @escaping SocketIOMiddleware) {
        self.handlers.use(middleware)
    }

    /// Called for each socket that connects to a namespace of the group, before the namespace's own.
    public func onConnection(_ handler: @escaping SocketIONamespace.ConnectionHandler) {
        self.handlers.onConnection(handler)
    }

    /// Handles `event` from every socket of the group's namespaces that has no handler for it
    /// in its own namespace.
    public func on(_ event: String, _ handler: @escaping SocketIONamespace.EventHandler) {
        self.handlers.on(event, handler)
    }

    /// Called as each socket of the group's namespaces disconnects, before the namespace's own.
    public func onDisconnecting(_ handler: @escaping SocketIOSocket.DisconnectHandler) {
        self.handlers.onDisconnecting(handler)
    }

    /// Handles a server-side event sent to any of the group's namespaces that has no handler
    /// of its own for it.
    public func onServerSideEmit(_ event: String, _ handler: @escaping SocketIOServerSideEvent.Handler) {
        self.handlers.onServerSideEmit(event, handler)
    }

    /// The namespaces created for the group so far.
    public var namespaces: [SocketIONamespace] { self.members.withLock { $0 } }

    /// Every socket of every namespace of the group, on every node: what the modifiers narrow.
    public var all: SocketIOBroadcastOperator { self.umbrella.all }

    func matches(_ name: String, auth: SocketIOValue) async -> Bool {
        await self.matcher(name, auth)
    }

    func add(_ namespace: SocketIONamespace) {
        self.members.withLock { $0.append(namespace) }
    }
}

/// Breaks the cycle group → umbrella namespace → adapter → group.
struct WeakGroup: Sendable {
    weak let group: SocketIONamespaceGroup?

    init(_ group: SocketIONamespaceGroup) {
        self.group = group
    }
}
