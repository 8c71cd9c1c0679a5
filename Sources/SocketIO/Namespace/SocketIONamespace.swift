import EngineIO
import Logging
import Synchronization

/// A namespace: its connection middleware and handlers, its sockets, and its adapter (rooms and
/// broadcasting).
public final class SocketIONamespace: Sendable {
    public typealias ConnectionHandler = @Sendable (SocketIOSocket) async -> Void
    /// An event handler shared by every socket of the namespace.
    public typealias EventHandler = @Sendable (SocketIOSocket, SocketIOEvent) async -> Void

    public let name: String
    /// Rooms and broadcasts; in-process by default, shared between nodes with a cluster adapter.
    public let adapter: any SocketIOAdapter
    private let socketIDs: RandomIDGenerator
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var middleware: [SocketIOMiddleware] = []
        var connectionHandlers: [ConnectionHandler] = []
        var eventHandlers: [String: EventHandler] = [:]
        var disconnectingHandlers: [SocketIOSocket.DisconnectHandler] = []
        var sockets: [String: SocketIOSocket] = [:]
    }

    init(name: String, server: SocketIOServer, adapterFactory: any SocketIOAdapterFactory) {
        self.name = name
        self.socketIDs = server.socketIDs
        self.logger = server.logger
        self.adapter = adapterFactory.makeAdapter(namespace: name)
        self.adapter.attach(SocketIOLocalDelivery(namespace: self))
    }

    /// Adds connection middleware; they run in the order added.
    public func use(_ middleware: @escaping SocketIOMiddleware) {
        self.state.withLock { $0.middleware.append(middleware) }
    }

    /// Called for each socket that connected, after the client got its CONNECT answer. Register
    /// the socket's event handlers here: the socket's events are handled only after this returns.
    public func onConnection(_ handler: @escaping ConnectionHandler) {
        self.state.withLock { $0.connectionHandlers.append(handler) }
    }

    /// Handles `event` from every socket of the namespace, after the socket's own listeners for
    /// it, if any. One closure for all sockets: a handler registered on each socket in
    /// `onConnection` costs its closure and table entry on every connection, which at tens of
    /// thousands of connections is memory worth keeping.
    public func on(_ event: String, _ handler: @escaping EventHandler) {
        self.state.withLock { $0.eventHandlers[event] = handler }
    }

    /// Called as each socket of the namespace disconnects, before it leaves its rooms (as a
    /// socket's own `onDisconnecting` handlers are).
    public func onDisconnecting(_ handler: @escaping SocketIOSocket.DisconnectHandler) {
        self.state.withLock { $0.disconnectingHandlers.append(handler) }
    }

    func eventHandler(for event: String) -> EventHandler? {
        self.state.withLock { $0.eventHandlers[event] }
    }

    var disconnectingHandlers: [SocketIOSocket.DisconnectHandler] {
        self.state.withLock { $0.disconnectingHandlers }
    }

    /// The sockets connected to this namespace on this node.
    public var sockets: [SocketIOSocket] { self.state.withLock { Array($0.sockets.values) } }

    public var socketCount: Int { self.state.withLock { $0.sockets.count } }

    public func socket(id: String) -> SocketIOSocket? {
        self.state.withLock { $0.sockets[id] }
    }

    func sockets(ids: some Sequence<String>) -> [SocketIOSocket] {
        self.state.withLock { state in ids.compactMap { state.sockets[$0] } }
    }

    // MARK: Broadcasting

    var broadcastOperator: SocketIOBroadcastOperator { SocketIOBroadcastOperator(namespace: self) }

    public func to(_ rooms: String...) -> SocketIOBroadcastOperator {
        self.to(rooms)
    }

    public func to(_ rooms: some Sequence<String>) -> SocketIOBroadcastOperator {
        self.broadcastOperator.to(rooms)
    }

    public func except(_ rooms: String...) -> SocketIOBroadcastOperator {
        self.broadcastOperator.except(rooms)
    }

    /// Sends an event to every socket of the namespace.
    public func emit(_ event: String, _ arguments: SocketIOValue...) async {
        await self.emit(event, arguments: arguments)
    }

    public func emit(_ event: String, arguments: [SocketIOValue]) async {
        await self.broadcastOperator.emit(event, arguments: arguments)
    }

    // MARK: Connecting

    /// Accepts a CONNECT at once, on the connection's event loop, when the namespace has no
    /// middleware (nothing may refuse it, nothing to wait for): no task, no thread hop. False
    /// when it has middleware, for `connect` to run it.
    func connectWithoutMiddleware(client: SocketIOClient, auth: SocketIOValue) -> Bool {
        let (middleware, handlers) = self.state.withLock { ($0.middleware, $0.connectionHandlers) }
        guard middleware.isEmpty else { return false }
        let handshake = SocketIOHandshake(auth: auth, request: client.session.request)
        self.accept(client: client, handshake: handshake, attributes: SocketIOAttributes(), handlers: handlers)
        return true
    }

    /// Runs the middleware for a CONNECT packet and, if none refuses, creates the socket.
    func connect(client: SocketIOClient, auth: SocketIOValue) async {
        let (middleware, handlers) = self.state.withLock { ($0.middleware, $0.connectionHandlers) }
        var context = SocketIOConnectionContext(
            namespace: self.name,
            handshake: SocketIOHandshake(auth: auth, request: client.session.request)
        )
        for step in middleware {
            do {
                try await step(&context)
            } catch let refusal as SocketIOConnectError {
                client.logger.debug("Connection refused", metadata: ["namespace": .string(self.name), "message": .string(refusal.message)])
                client.send(SocketIOPacket(kind: .connectError, namespace: self.name, payload: refusal.payload).encoded())
                return
            } catch {
                client.logger.error("Connection middleware failed", metadata: ["namespace": .string(self.name), "error": "\(error)"])
                client.send(SocketIOPacket(kind: .connectError, namespace: self.name, payload: SocketIOConnectError("Server error").payload).encoded())
                return
            }
        }
        self.accept(client: client, handshake: context.handshake, attributes: context.attributes, handlers: handlers)
    }

    /// Creates the socket of an accepted CONNECT, answers it, then runs the connection handlers.
    private func accept(client: SocketIOClient, handshake: SocketIOHandshake, attributes: SocketIOAttributes, handlers: [ConnectionHandler]) {
        guard client.session.isOpen else { return }
        let socket = SocketIOSocket(
            id: self.socketIDs.next(),
            namespace: self,
            client: client,
            handshake: handshake,
            attributes: attributes
        )
        self.state.withLock { $0.sockets[socket.id] = socket }
        self.adapter.join(socket.id, rooms: [socket.id])
        guard client.add(socket) else {
            self.remove(socket)
            return
        }
        socket.send(SocketIOPacket(kind: .connect, namespace: self.name, payload: ["sid": .string(socket.id)]))
        socket.logger.debug("Socket connected")
        socket.startHandlingEvents(handlers)
    }

    func remove(_ socket: SocketIOSocket) {
        self.adapter.leaveAll(socket.id)
        self.state.withLock { state in
            if state.sockets[socket.id] === socket { state.sockets[socket.id] = nil }
        }
    }
}
