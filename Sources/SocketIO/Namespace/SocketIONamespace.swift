import EngineIO
import Logging
import Synchronization

/// A namespace: its connection middleware and handlers, its sockets, and its adapter (rooms and
/// broadcasting). Broadcasting and the server-side utilities come from `SocketIOBroadcasting`.
///
/// A namespace created for a dynamic namespace group (`SocketIOServer.of(matching:)`) also runs
/// the group's middleware and handlers, before its own, as Node's child namespaces do.
public final class SocketIONamespace: SocketIOBroadcasting {
    /// Handles a socket that has just connected; it registers the socket's event handlers.
    public typealias ConnectionHandler = @Sendable (SocketIOSocket) async -> Void
    /// An event handler shared by every socket of the namespace.
    public typealias EventHandler = @Sendable (SocketIOSocket, SocketIOEvent) async -> Void

    /// The namespace's name, starting with `/` (`/` is the main namespace).
    public let name: String
    /// Rooms and broadcasts; in-process by default, shared between nodes with a cluster adapter.
    public let adapter: any SocketIOAdapter
    /// The dynamic namespace group this namespace was created for, if any.
    public let group: SocketIONamespaceGroup?
    let defaultAckTimeout: Duration
    /// Where disconnected sessions wait for their clients; nil when recovery is off.
    let sessionStore: (any SocketIOSessionStore)?
    private let recovery: SocketIOConnectionStateRecovery?
    private let socketIDs: RandomIDGenerator
    let logger: Logger
    let handlers = SocketIONamespaceHandlers()
    private let connected = Mutex<[String: SocketIOSocket]>([:])

    init(
        name: String,
        server: SocketIOServer,
        adapter: any SocketIOAdapter,
        sessionStore: (any SocketIOSessionStore)? = nil,
        group: SocketIONamespaceGroup? = nil
    ) {
        self.name = name
        self.sessionStore = sessionStore
        self.recovery = sessionStore == nil ? nil : server.configuration.connectionStateRecovery
        self.socketIDs = server.socketIDs
        self.logger = server.logger
        self.defaultAckTimeout = server.configuration.ackTimeout
        self.group = group
        self.adapter = adapter
        self.adapter.attach(SocketIOLocalDelivery(namespace: self))
    }

    /// Adds connection middleware; they run in the order added (a group's first).
    public func use(_ middleware: @escaping SocketIOMiddleware) {
        self.handlers.use(middleware)
    }

    /// Called for each socket that connected, after the client got its CONNECT answer. Register
    /// the socket's event handlers here: the socket's events are handled only after this returns.
    public func onConnection(_ handler: @escaping ConnectionHandler) {
        self.handlers.onConnection(handler)
    }

    /// Handles `event` from every socket of the namespace, after the socket's own listeners for
    /// it, if any. One closure for all sockets: a handler registered on each socket in
    /// `onConnection` costs its closure and table entry on every connection, which at tens of
    /// thousands of connections is memory worth keeping.
    public func on(_ event: String, _ handler: @escaping EventHandler) {
        self.handlers.on(event, handler)
    }

    /// Called as each socket of the namespace disconnects, before it leaves its rooms (as a
    /// socket's own `onDisconnecting` handlers are).
    public func onDisconnecting(_ handler: @escaping SocketIOSocket.DisconnectHandler) {
        self.handlers.onDisconnecting(handler)
    }

    /// Handles the server-side event `event` that another node of the cluster sent with
    /// `serverSideEmit` (Node's `io.on(event)` for server-side events).
    public func onServerSideEmit(_ event: String, _ handler: @escaping SocketIOServerSideEvent.Handler) {
        self.handlers.onServerSideEmit(event, handler)
    }

    func eventHandler(for event: String) -> EventHandler? {
        self.handlers.eventHandler(for: event) ?? self.group?.handlers.eventHandler(for: event)
    }

    var disconnectingHandlers: [SocketIOSocket.DisconnectHandler] {
        guard let group = self.group else { return self.handlers.disconnectingHandlers }
        return group.handlers.disconnectingHandlers + self.handlers.disconnectingHandlers
    }

    /// The group's first, then the namespace's own; without a group, the own list as it is
    /// (read on every connection: no copy into a new array).
    private var middleware: [SocketIOMiddleware] {
        guard let group = self.group else { return self.handlers.middleware }
        return group.handlers.middleware + self.handlers.middleware
    }

    private var connectionHandlers: [ConnectionHandler] {
        guard let group = self.group else { return self.handlers.connectionHandlers }
        return group.handlers.connectionHandlers + self.handlers.connectionHandlers
    }

    // MARK: Sockets

    /// The sockets connected to this namespace on this node.
    public var sockets: [SocketIOSocket] { self.connected.withLock { Array($0.values) } }

    /// The number of sockets connected to this namespace on this node.
    public var socketCount: Int { self.connected.withLock { $0.count } }

    /// The socket `id` of this namespace, if it is connected to this node.
    public func socket(id: String) -> SocketIOSocket? {
        self.connected.withLock { $0[id] }
    }

    func sockets(ids: some Sequence<String>) -> [SocketIOSocket] {
        self.connected.withLock { sockets in ids.compactMap { sockets[$0] } }
    }

    /// Every socket of the namespace, on every node: what the modifiers narrow.
    public var all: SocketIOBroadcastOperator { SocketIOBroadcastOperator(namespace: self) }

    /// What the session store holds, when connection-state recovery is on and the store is
    /// this node's.
    public var recoveryStatistics: SocketIOSessionStoreStatistics? {
        (self.sessionStore as? InMemorySessionStore)?.statistics
    }

    /// Hands packets to the adapter, kept first for recoveries unless volatile (as in Node: a
    /// volatile event is one nobody minds missing).
    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool {
        guard let store = self.sessionStore, !options.volatile else {
            return await self.adapter.broadcast(packets, options: options)
        }
        return await self.adapter.broadcast(store.record(packets, options: options), options: options)
    }

    // MARK: Connecting

    /// Accepts a CONNECT at once, on the connection's event loop, when the namespace has no
    /// middleware (nothing may refuse it, nothing to wait for): no task, no thread hop. False
    /// when it has middleware, for `connect` to run it.
    func connectWithoutMiddleware(client: SocketIOClient, auth: SocketIOValue) -> Bool {
        guard self.middleware.isEmpty, self.recoveryClaim(in: auth) == nil else { return false }
        let handshake = SocketIOHandshake(auth: auth, request: client.session.request)
        self.accept(client: client, handshake: handshake, attributes: SocketIOAttributes())
        return true
    }

    /// The private id and offset a reconnecting official client sends in its CONNECT's auth.
    private func recoveryClaim(in auth: SocketIOValue) -> (privateID: String, offset: String)? {
        guard self.sessionStore != nil, let privateID = auth["pid"]?.stringValue, let offset = auth["offset"]?.stringValue else { return nil }
        return (privateID, offset)
    }

    /// Restores the session a CONNECT claims, if the store still has all of it. One whose
    /// socket is connected again (its secret presented twice) is not restored a second time.
    private func restoreSession(claimedIn auth: SocketIOValue) async -> SocketIORecoveredSession? {
        guard let store = self.sessionStore, let claim = self.recoveryClaim(in: auth),
            let restored = await store.restore(privateID: claim.privateID, offset: claim.offset),
            self.socket(id: restored.session.socketID) == nil
        else { return nil }
        return restored
    }

    /// Runs the middleware for a CONNECT packet and, if none refuses, creates the socket. A
    /// recovered session skips them when `skipMiddlewares` says so.
    func connect(client: SocketIOClient, auth: SocketIOValue) async {
        let restored = await self.restoreSession(claimedIn: auth)
        var context = SocketIOConnectionContext(
            namespace: self.name,
            handshake: SocketIOHandshake(auth: auth, request: client.session.request)
        )
        let middleware = restored != nil && self.recovery?.skipMiddlewares == true ? [] : self.middleware
        for step in middleware {
            do {
                try await step(&context)
            } catch let refusal as SocketIOConnectError {
                client.logger.debug("Connection refused", metadata: ["namespace": .string(self.name), "message": .string(refusal.message)])
                client.send(SocketIOPacket(kind: .connectError, namespace: self.name, payload: client.connectErrorPayload(refusal)).encoded())
                return
            } catch {
                client.logger.error("Connection middleware failed", metadata: ["namespace": .string(self.name), "error": "\(error)"])
                client.send(SocketIOPacket(kind: .connectError, namespace: self.name, payload: client.connectErrorPayload(SocketIOConnectError("Server error"))).encoded())
                return
            }
        }
        self.accept(client: client, handshake: context.handshake, attributes: context.attributes, restored: restored)
    }

    /// Creates the socket of an accepted CONNECT (a restored session's, when recovered),
    /// answers it, sends what a restored session missed, then runs the connection handlers.
    private func accept(client: SocketIOClient, handshake: SocketIOHandshake, attributes: SocketIOAttributes, restored: SocketIORecoveredSession? = nil) {
        guard client.session.isOpen else { return }
        // A Socket.IO protocol 4 client cannot ask for its session back: nothing is kept for it.
        let recovery = client.legacyProtocol ? nil : self.sessionStore.map { _ in
            SocketIORecoveryIdentity(privateID: restored?.session.privateID ?? self.socketIDs.next(), recovered: restored != nil)
        }
        let socket = SocketIOSocket(
            id: restored?.session.socketID ?? self.newSocketID(for: client),
            namespace: self,
            client: client,
            handshake: handshake,
            attributes: attributes,
            recovery: recovery,
            data: restored?.session.data ?? .null
        )
        self.connected.withLock { $0[socket.id] = socket }
        self.adapter.join(socket.id, rooms: (restored?.session.rooms ?? []).union(CollectionOfOne(socket.id)))
        guard client.add(socket) else {
            self.remove(socket)
            return
        }
        socket.send(SocketIOPacket(kind: .connect, namespace: self.name, payload: client.connectAnswer(socketID: socket.id, privateID: recovery?.privateID)))
        for missed in restored?.missedPackets ?? [] { client.send(missed) }
        socket.logger.debug("Socket connected", metadata: restored == nil ? [:] : ["recovered": "true", "missed": "\(restored?.missedPackets.count ?? 0)"])
        socket.startHandlingEvents(self.connectionHandlers)
    }

    /// A fresh socket id: random, never the session's (which authenticates polling requests).
    /// A Socket.IO protocol 4 client computes its socket's id itself, from the session id
    /// (`/admin#<sid>`, or the sid on `/`), so such a socket gets that one, as in Node.
    private func newSocketID(for client: SocketIOClient) -> String {
        guard client.legacyProtocol else { return self.socketIDs.next() }
        return self.name == "/" ? client.session.id : "\(self.name)#\(client.session.id)"
    }

    func remove(_ socket: SocketIOSocket) {
        self.adapter.leaveAll(socket.id)
        self.connected.withLock { sockets in
            if sockets[socket.id] === socket { sockets[socket.id] = nil }
        }
    }
}
