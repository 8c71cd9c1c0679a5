import DequeModule
public import EngineIO
public import Logging
import NIOCore
import Synchronization

/// One client's presence in one namespace.
///
/// Sending to a socket only queues frames on its connection: it never waits for the network.
///
/// The socket's connection handlers and event handlers run one at a time, in the order the
/// client sent its packets, on a task that exists only while there is work and that runs on the
/// connection's event loop (as Node runs handlers on its one thread: keep CPU-heavy work off
/// it). The connection's reader never waits for them, so a handler may await an
/// acknowledgement from the same client.
public final class SocketIOSocket: SocketIOAcknowledgementSender, Sendable {
    typealias Job = @Sendable () async -> Void

    /// Told that a socket is leaving or has left, and why.
    public typealias DisconnectHandler = @Sendable (SocketIOSocket, SocketIODisconnectReason) -> Void
    /// Told of each event this socket emits to its client: its name and arguments.
    public typealias OutgoingHandler = @Sendable (_ event: String, _ arguments: [SocketIOValue]) -> Void
    /// Told why a packet middleware refused an event (Node's `socket.on("error")`).
    public typealias ErrorHandler = @Sendable (SocketIOSocket, any Error) -> Void

    /// The socket id, also the name of the room every socket is in on its own.
    public let id: String
    /// The namespace the socket connected to.
    public let namespace: SocketIONamespace
    /// What the client presented when it connected: its `auth` and the opening request.
    public let handshake: SocketIOHandshake
    let client: SocketIOClient
    let recovery: SocketIORecoveryIdentity?
    private let state: Mutex<State>

    /// Logs with the connection's, the socket's and the namespace's ids as metadata; built when
    /// used, as `EngineIOSession.logger` is.
    public var logger: Logger {
        var logger = self.client.session.logger
        logger[metadataKey: "sio.socket"] = .string(self.id)
        logger[metadataKey: "sio.namespace"] = .string(self.namespace.name)
        return logger
    }

    /// Tokens are unique across sockets, so a socket needs no counter of its own.
    private static let listenerTokens = Atomic<Int>(0)

    /// Only ever touched under the socket's lock, through `State`: the lock is what makes it
    /// safe to share, as for the rest of the state.
    private final class RareState: @unchecked Sendable {
        var any = SocketIOListeners<SocketIOEventHandler>()
        var anyOutgoing = SocketIOListeners<OutgoingHandler>()
        var packetMiddleware: [SocketIOPacketMiddleware] = []
        var errorHandlers: [ErrorHandler] = []
        var data: SocketIOValue = .null
    }

    private struct PendingAck {
        let continuation: CheckedContinuation<[SocketIOValue], any Error>
        var timeout: Scheduled<Void>?
    }

    private struct State {
        var connected = true
        var attributes: SocketIOAttributes
        var listeners: [String: SocketIOListeners<SocketIOEventHandler>] = [:]
        /// Catch-all, outgoing and error listeners, packet middleware and `data`: most sockets
        /// have none, so they live out of line, allocated when the first is added (reading never
        /// allocates them: the computed properties below are for adding and removing), and an
        /// idle socket carries one reference for them (a `SocketIOValue` alone is 25 bytes).
        var rare: RareState?
        var disconnectingHandlers: [DisconnectHandler] = []
        var disconnectHandlers: [DisconnectHandler] = []
        var nextAckID = 0
        var pendingAcks: [Int: PendingAck] = [:]
        var jobs = Deque<Job>()
        /// True from the start: events that arrive before `startHandlingEvents` wait behind the
        /// connection handlers.
        var runningJobs = true

        mutating func makeToken() -> SocketIOListenerToken {
            SocketIOListenerToken(id: SocketIOSocket.listenerTokens.wrappingAdd(1, ordering: .relaxed).oldValue)
        }

        var anyListeners: SocketIOListeners<SocketIOEventHandler> {
            get { self.rare?.any ?? SocketIOListeners() }
            set { self.rareListeners().any = newValue }
        }

        var anyOutgoingListeners: SocketIOListeners<OutgoingHandler> {
            get { self.rare?.anyOutgoing ?? SocketIOListeners() }
            set { self.rareListeners().anyOutgoing = newValue }
        }

        var packetMiddleware: [SocketIOPacketMiddleware] {
            get { self.rare?.packetMiddleware ?? [] }
            set { self.rareListeners().packetMiddleware = newValue }
        }

        var errorHandlers: [ErrorHandler] {
            get { self.rare?.errorHandlers ?? [] }
            set { self.rareListeners().errorHandlers = newValue }
        }

        var data: SocketIOValue {
            get { self.rare?.data ?? .null }
            set {
                // Setting `null` on a socket with no rare state keeps it without any.
                guard self.rare != nil || newValue != .null else { return }
                self.rareListeners().data = newValue
            }
        }

        /// The catch-all listeners to run for one event, taken without allocating their storage.
        func takeAnyListeners() -> [SocketIOEventHandler] {
            self.rare?.any.take() ?? []
        }

        /// The outgoing listeners to tell of one emit, taken without allocating their storage.
        func takeAnyOutgoingListeners() -> [OutgoingHandler] {
            self.rare?.anyOutgoing.take() ?? []
        }

        /// Drops every listener and middleware; `data` stays readable after a disconnect.
        mutating func dropRareListeners() {
            let data = self.data
            self.rare = nil
            self.data = data
        }

        private mutating func rareListeners() -> RareState {
            if let rare = self.rare { return rare }
            let rare = RareState()
            self.rare = rare
            return rare
        }
    }

    init(
        id: String,
        namespace: SocketIONamespace,
        client: SocketIOClient,
        handshake: SocketIOHandshake,
        attributes: SocketIOAttributes,
        recovery: SocketIORecoveryIdentity? = nil,
        data: SocketIOValue = .null
    ) {
        self.id = id
        self.namespace = namespace
        self.client = client
        self.handshake = handshake
        self.recovery = recovery
        var state = State(attributes: attributes)
        state.data = data
        self.state = Mutex(state)
    }

    /// Whether this socket is a session recovered after a short disconnection (connection-state
    /// recovery): same id, rooms and `data`, and the events it missed were sent after CONNECT.
    public var recovered: Bool { self.recovery?.recovered ?? false }

    /// The secret its client presents to recover this socket after a drop (the CONNECT
    /// answer's `pid`); nil when recovery is off. Never share it: it is the session's key.
    public var privateSessionID: String? { self.recovery?.privateID }

    /// False once the socket has left its namespace; a disconnected socket sends nothing.
    public var isConnected: Bool { self.state.withLock { $0.connected } }

    /// The Engine.IO session carrying this socket (shared by its sockets in other namespaces).
    public var connection: EngineIOSession { self.client.session }

    /// Values attached by connection middleware.
    public var attributes: SocketIOAttributes { self.state.withLock { $0.attributes } }

    /// Stores a typed value on the socket (nil removes it), e.g. from a handler once the
    /// client has proved something.
    public func setAttribute<Key: SocketIOAttributeKey>(_ key: Key.Type, to value: Key.Value?) {
        self.state.withLock { $0.attributes[key] = value }
    }

    /// Node's `socket.data`: a JSON value of the application's, which `fetchSockets` reports
    /// (from another node too, unlike `attributes`, which may hold any Swift value).
    public var data: SocketIOValue {
        get { self.state.withLock { $0.data } }
        set { self.state.withLock { $0.data = newValue } }
    }

    /// What `fetchSockets` reports of this socket.
    var snapshot: SocketIOSocketSnapshot {
        SocketIOSocketSnapshot(id: self.id, handshake: self.handshake, rooms: self.rooms, data: self.data)
    }

    // MARK: Listeners

    /// Adds a listener for the client's event `name`. Every listener of an event runs, in the
    /// order they were added, after the `onAny` ones; the token removes it (`off`).
    @discardableResult
    public func on(_ name: String, _ handler: @escaping SocketIOEventHandler) -> SocketIOListenerToken {
        self.addListener(for: name, handler, once: false)
    }

    /// Adds a listener that runs for the next `name` event only.
    @discardableResult
    public func once(_ name: String, _ handler: @escaping SocketIOEventHandler) -> SocketIOListenerToken {
        self.addListener(for: name, handler, once: true)
    }

    /// Removes one listener added with `on` or `once`.
    public func off(_ token: SocketIOListenerToken) {
        self.state.withLock { state in
            for name in state.listeners.keys where state.listeners[name]?.remove(token) == true {
                if state.listeners[name]?.isEmpty == true { state.listeners[name] = nil }
                return
            }
        }
    }

    /// Removes every listener of `name` (Node's `removeAllListeners(name)`).
    public func off(_ name: String) {
        self.state.withLock { _ = $0.listeners.removeValue(forKey: name) }
    }

    private func addListener(for name: String, _ handler: @escaping SocketIOEventHandler, once: Bool) -> SocketIOListenerToken {
        self.state.withLock { state in
            let token = state.makeToken()
            state.listeners[name, default: SocketIOListeners()].append(handler, token: token, once: once)
            return token
        }
    }

    /// Handles the client's event `name`, its first argument decoded as `T`.
    ///
    /// An event whose first argument does not decode never reaches the handler: it is logged,
    /// and answered with `{"error":"invalid payload"}` when the client asked for an acknowledgement.
    @discardableResult
    public func on<T: Decodable & Sendable>(
        _ name: String,
        as type: T.Type,
        _ handler: @escaping @Sendable (T, SocketIOEvent) async -> Void
    ) -> SocketIOListenerToken {
        self.on(name) { [weak self] event in
            let value: T
            do {
                value = try event.argument(0, as: T.self)
            } catch {
                self?.logger.debug("Event argument does not decode", metadata: ["event": .string(name), "error": "\(error)"])
                event.ack?(["error": "invalid payload"])
                return
            }
            await handler(value, event)
        }
    }

    /// Adds a listener for every event of the client, run before the event's own listeners.
    @discardableResult
    public func onAny(_ handler: @escaping SocketIOEventHandler) -> SocketIOListenerToken {
        self.add(handler, to: \.anyListeners, first: false)
    }

    /// Adds a listener for every event, run before the other `onAny` listeners.
    @discardableResult
    public func prependAny(_ handler: @escaping SocketIOEventHandler) -> SocketIOListenerToken {
        self.add(handler, to: \.anyListeners, first: true)
    }

    /// Removes one catch-all listener, or all of them when `token` is nil.
    public func offAny(_ token: SocketIOListenerToken? = nil) {
        self.remove(token, from: \.anyListeners)
    }

    /// Adds a listener told of each event this socket emits to its client (`emit`,
    /// `emitWithAck`), before it is sent. Broadcasts are not reported: they are encoded once
    /// for all their recipients.
    @discardableResult
    public func onAnyOutgoing(_ handler: @escaping OutgoingHandler) -> SocketIOListenerToken {
        self.add(handler, to: \.anyOutgoingListeners, first: false)
    }

    /// Adds an outgoing listener run before the others.
    @discardableResult
    public func prependAnyOutgoing(_ handler: @escaping OutgoingHandler) -> SocketIOListenerToken {
        self.add(handler, to: \.anyOutgoingListeners, first: true)
    }

    /// Removes one outgoing listener, or all of them when `token` is nil.
    public func offAnyOutgoing(_ token: SocketIOListenerToken? = nil) {
        self.remove(token, from: \.anyOutgoingListeners)
    }

    private func add<Handler>(_ handler: Handler, to list: WritableKeyPath<State, SocketIOListeners<Handler>>, first: Bool) -> SocketIOListenerToken {
        self.state.withLock { state in
            let token = state.makeToken()
            if first {
                state[keyPath: list].prepend(handler, token: token)
            } else {
                state[keyPath: list].append(handler, token: token)
            }
            return token
        }
    }

    /// Removes one listener of `list`, or all of them when `token` is nil.
    private func remove<Handler>(_ token: SocketIOListenerToken?, from list: WritableKeyPath<State, SocketIOListeners<Handler>>) {
        self.state.withLock { state in
            // Nothing was ever added: removing must not allocate the out-of-line lists.
            guard state.rare != nil else { return }
            if let token { state[keyPath: list].remove(token) } else { state[keyPath: list] = SocketIOListeners() }
        }
    }

    /// Adds a middleware every incoming event passes before its listeners, in the order added
    /// (Node's `socket.use`). One that throws refuses the event: no listener runs, and the
    /// error goes to the `onError` handlers.
    public func use(_ middleware: @escaping SocketIOPacketMiddleware) {
        self.state.withLock { $0.packetMiddleware.append(middleware) }
    }

    /// Called with the error of each event a packet middleware refused (Node's
    /// `socket.on("error")`). Without one, refusals are logged.
    public func onError(_ handler: @escaping ErrorHandler) {
        self.state.withLock { $0.errorHandlers.append(handler) }
    }

    /// Called when the socket is about to leave, while it is still in its rooms.
    public func onDisconnecting(_ handler: @escaping DisconnectHandler) {
        self.state.withLock { $0.disconnectingHandlers.append(handler) }
    }

    /// Called once the socket has left its namespace and rooms.
    public func onDisconnect(_ handler: @escaping DisconnectHandler) {
        self.state.withLock { $0.disconnectHandlers.append(handler) }
    }

    // MARK: Rooms

    /// The rooms this socket is in, its own room included.
    public var rooms: Set<String> { self.namespace.adapter.rooms(of: self.id) }

    /// Joins rooms; false when the socket has already disconnected (and so joined nothing).
    @discardableResult
    public func join(_ rooms: String...) -> Bool {
        self.join(rooms)
    }

    /// Joins rooms given as a collection; false when the socket has already disconnected.
    @discardableResult
    public func join(_ rooms: some Sequence<String>) -> Bool {
        let rooms = Set(rooms)
        // Joining under the socket's lock orders it against `close`: a join that races a
        // disconnect either happens before the socket leaves all its rooms, or not at all.
        // Adapters must not call back into the socket from `join` (the lock is not reentrant).
        return self.state.withLock { state in
            guard state.connected else { return false }
            self.namespace.adapter.join(self.id, rooms: rooms)
            return true
        }
    }

    /// Leaves a room (its own included: it then gets no event sent to its id).
    public func leave(_ room: String) {
        self.namespace.adapter.leave(self.id, room: room)
    }

    // MARK: Emitting

    /// Sends an event to this socket only.
    public func emit(_ event: String, _ arguments: SocketIOValue...) {
        self.emit(event, arguments: arguments)
    }

    /// Sends an event, its arguments given as an array, to this socket only.
    public func emit(_ event: String, arguments: [SocketIOValue]) {
        self.emit(event, arguments: arguments, volatile: false, compress: true)
    }

    /// An emit with its modifiers (see `SocketIOSocketEmitter`).
    func emit(_ event: String, arguments: [SocketIOValue], volatile: Bool, compress: Bool) {
        self.notifyOutgoing(event, arguments)
        var packet = SocketIOPacket.event(event, arguments, namespace: self.namespace.name)
        if !volatile, let store = self.namespace.sessionStore {
            // Kept for a recovery, as Node keeps a socket's own emits with connection-state recovery on.
            packet = store.record([packet], options: SocketIOBroadcastOptions(rooms: [self.id])).first ?? packet
        }
        let frames = packet.encoded().frames
        let session = self.client.session
        switch (volatile, compress) {
        case (false, true): session.send(frames)
        case (true, true): session.sendIfWritable(frames)
        case (false, false): session.send(EngineIOSharedFrames(frames, compressible: false))
        case (true, false): session.sendIfWritable(EngineIOSharedFrames(frames, compressible: false))
        }
    }

    /// Sends `Encodable` values as the event's arguments (see `SocketIOValue(encoding:)`).
    /// - Throws: The encoding error of a value that has no JSON form; nothing is sent then.
    public func emit<each Argument: Encodable>(_ event: String, encoding arguments: repeat each Argument) throws {
        self.emit(event, arguments: try SocketIOValue.encodingEach(repeat each arguments))
    }

    private func notifyOutgoing(_ event: String, _ arguments: [SocketIOValue]) {
        let listeners = self.state.withLock { $0.takeAnyOutgoingListeners() }
        for listener in listeners { listener(event, arguments) }
    }

    /// Sends an event and waits for the client's acknowledgement: its arguments.
    /// - Parameters:
    ///   - event: The event's name.
    ///   - arguments: Its arguments.
    ///   - timeout: How long to wait; the server's `ackTimeout` when nil.
    /// - Throws: `SocketIOAckError.timeout` when the client did not answer in time,
    ///   `.disconnected` when the socket left first.
    public func emitWithAck(_ event: String, _ arguments: SocketIOValue..., timeout: Duration? = nil) async throws(SocketIOAckError) -> [SocketIOValue] {
        try await self.emitWithAck(event, arguments: arguments, timeout: timeout)
    }

    /// Sends an event, its arguments given as an array, and waits for the acknowledgement.
    /// - Parameters:
    ///   - event: The event's name.
    ///   - arguments: Its arguments.
    ///   - timeout: How long to wait; the server's `ackTimeout` when nil.
    /// - Throws: `SocketIOAckError.timeout` or `.disconnected`.
    public func emitWithAck(_ event: String, arguments: [SocketIOValue], timeout: Duration? = nil) async throws(SocketIOAckError) -> [SocketIOValue] {
        do {
            return try await self.awaitAck(event, arguments: arguments, timeout: timeout ?? self.namespace.defaultAckTimeout)
        } catch let error as SocketIOAckError {
            throw error
        } catch {
            // The continuation is only ever resumed with a SocketIOAckError.
            throw .disconnected
        }
    }

    private func awaitAck(_ event: String, arguments: [SocketIOValue], timeout: Duration) async throws -> [SocketIOValue] {
        try await withCheckedThrowingContinuation { continuation in
            let ackID: Int? = self.state.withLock { state in
                guard state.connected else { return nil }
                let id = state.nextAckID
                state.nextAckID += 1
                state.pendingAcks[id] = PendingAck(continuation: continuation)
                return id
            }
            guard let ackID else {
                continuation.resume(throwing: SocketIOAckError.disconnected)
                return
            }
            let timer = self.client.session.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                self.failAck(ackID, with: .timeout)
            }
            self.state.withLock { $0.pendingAcks[ackID]?.timeout = timer }
            self.notifyOutgoing(event, arguments)
            self.send(.event(event, arguments, namespace: self.namespace.name, ackID: ackID))
        }
    }

    /// Events to the sockets in any of `rooms`, but not to this one.
    public func to(_ rooms: String...) -> SocketIOBroadcastOperator {
        self.broadcast.to(rooms)
    }

    /// The same as `to`.
    public func `in`(_ rooms: String...) -> SocketIOBroadcastOperator {
        self.broadcast.to(rooms)
    }

    /// Events to every other socket of the namespace but those in any of `rooms`.
    public func except(_ rooms: String...) -> SocketIOBroadcastOperator {
        self.broadcast.except(rooms)
    }

    /// Events to every other socket of the namespace.
    public var broadcast: SocketIOBroadcastOperator {
        self.namespace.all.except(self.id)
    }

    /// This socket's emits, dropped when its connection cannot take them at once.
    public var volatile: SocketIOSocketEmitter {
        SocketIOSocketEmitter(socket: self, volatile: true)
    }

    /// This socket's `emitWithAck`, waiting `duration` for the answer.
    public func timeout(_ duration: Duration) -> SocketIOSocketEmitter {
        SocketIOSocketEmitter(socket: self, ackTimeout: duration)
    }

    /// This socket's emits, compressed by a permessage-deflate websocket only when `enabled`.
    public func compress(_ enabled: Bool) -> SocketIOSocketEmitter {
        SocketIOSocketEmitter(socket: self, compress: enabled)
    }

    func send(_ packet: SocketIOPacket) {
        self.client.send(packet.encoded())
    }

    package func sendAcknowledgement(_ id: Int, arguments: [SocketIOValue]) {
        self.send(.ack(id, arguments, namespace: self.namespace.name))
    }

    // MARK: Disconnecting

    /// Removes the socket from its namespace, telling the client (`io server disconnect`).
    /// With `closeConnection`, the client's whole connection is closed too.
    public func disconnect(closeConnection: Bool = false) {
        self.disconnect(reason: .serverNamespaceDisconnect)
        if closeConnection { self.client.session.close() }
    }

    /// The `disconnecting` handlers run first, so they can still emit a last word (why the
    /// server is letting the socket go) before the client receives DISCONNECT.
    func disconnect(reason: SocketIODisconnectReason) {
        guard self.isConnected else { return }
        self.close(reason: reason)
        self.send(SocketIOPacket(kind: .disconnect, namespace: self.namespace.name))
    }

    /// Leaves the namespace without telling the client: it already knows, or is gone.
    func close(reason: SocketIODisconnectReason) {
        let taken: State? = self.state.withLock { state in
            guard state.connected else { return nil }
            state.connected = false
            let snapshot = state
            state.listeners = [:]
            state.dropRareListeners()
            state.disconnectingHandlers = []
            state.disconnectHandlers = []
            state.pendingAcks = [:]
            state.jobs = []
            return snapshot
        }
        guard let taken else { return }
        for handler in taken.disconnectingHandlers + self.namespace.disconnectingHandlers { handler(self, reason) }
        if let recovery = self.recovery, reason.isRecoverable, let store = self.namespace.sessionStore {
            store.persist(SocketIOPersistedSession(socketID: self.id, privateID: recovery.privateID, rooms: self.rooms, data: taken.data))
        }
        self.namespace.remove(self)
        self.client.remove(self)
        for pending in taken.pendingAcks.values {
            pending.timeout?.cancel()
            pending.continuation.resume(throwing: SocketIOAckError.disconnected)
        }
        self.logger.debug("Socket disconnected", metadata: ["reason": .string(reason.rawValue)])
        for handler in taken.disconnectHandlers { handler(self, reason) }
    }

    // MARK: Incoming

    /// Queues an event for its middleware, then its listeners: the `onAny` ones, the event's
    /// own, then the namespace's handler for it.
    func dispatch(_ packet: SocketIOPacket) {
        guard let (name, arguments) = packet.eventNameAndArguments else { return }
        let ack = packet.ackID.map { SocketIOAcknowledgement(id: $0, sender: self) }
        self.enqueue {
            let event = SocketIOEvent(name: name, arguments: arguments, ack: ack)
            let middleware = self.state.withLock { $0.packetMiddleware }
            do {
                for step in middleware { try await step(event) }
            } catch {
                self.refused(event, error)
                return
            }
            let (any, own) = self.state.withLock { state in
                // Looked up before being modified: the dictionary's modify accessor would give a
                // socket without listeners (most sockets) storage of its own, on its first event.
                var own: [SocketIOEventHandler] = []
                if state.listeners[name] != nil {
                    own = state.listeners[name]?.take() ?? []
                    if state.listeners[name]?.isEmpty == true { state.listeners[name] = nil }
                }
                return (state.takeAnyListeners(), own)
            }
            let shared = self.namespace.eventHandler(for: name)
            for listener in any { await listener(event) }
            for listener in own { await listener(event) }
            if let shared { await shared(self, event) }
            if any.isEmpty, own.isEmpty, shared == nil {
                self.logger.debug("No handler for event", metadata: ["event": .string(name)])
            }
        }
    }

    private func refused(_ event: SocketIOEvent, _ error: any Error) {
        let handlers = self.state.withLock { $0.errorHandlers }
        guard !handlers.isEmpty else {
            self.logger.notice("Event refused by a packet middleware", metadata: ["event": .string(event.name), "error": "\(error)"])
            return
        }
        for handler in handlers { handler(self, error) }
    }

    /// Runs the namespace's connection handlers, then the events that arrived meanwhile. Called
    /// once the client has its CONNECT answer, so nothing a handler emits can precede it, while
    /// an event the client sends as soon as it is connected still waits for the handlers that
    /// register its handler.
    func startHandlingEvents(_ connectionHandlers: [SocketIONamespace.ConnectionHandler]) {
        let starts = self.state.withLock { state in
            guard state.connected else { return false }
            if connectionHandlers.isEmpty {
                // Nothing to wait for: events run as they come, with no task until one does.
                state.runningJobs = !state.jobs.isEmpty
                return state.runningJobs
            }
            state.jobs.prepend {
                for handler in connectionHandlers { await handler(self) }
            }
            return true
        }
        if starts { self.startRunningJobs() }
    }

    /// Runs the socket's jobs on its connection's event loop: a handler that answers at once
    /// (an ack, an emit) writes to the connection without a thread hop, and one that awaits
    /// resumes there.
    private func startRunningJobs() {
        Task(executorPreference: self.client.session.taskExecutor) { await self.runJobs() }
    }

    /// Runs `job` after the socket's earlier jobs. A client that sends events faster than its
    /// handlers finish is disconnected once `maximumPendingEvents` are waiting.
    func enqueue(_ job: @escaping Job) {
        enum Outcome { case queued, start, overflow, closed }
        let limit = self.client.maximumPendingEvents
        let outcome: Outcome = self.state.withLock { state in
            guard state.connected else { return .closed }
            guard state.jobs.count < limit else { return .overflow }
            state.jobs.append(job)
            guard !state.runningJobs else { return .queued }
            state.runningJobs = true
            return .start
        }
        switch outcome {
        case .queued, .closed:
            break
        case .start:
            self.startRunningJobs()
        case .overflow:
            self.logger.warning("Too many events waiting for their handlers, closing connection", metadata: ["limit": "\(limit)"])
            self.connection.close(reason: .transportError("too many pending events"))
        }
    }

    private func runJobs() async {
        while let job = self.nextJob() {
            await job()
        }
    }

    private func nextJob() -> Job? {
        self.state.withLock { state in
            if let job = state.jobs.popFirst() { return job }
            state.runningJobs = false
            // A drained deque keeps its storage: an idle socket (the many) would hold it for good.
            state.jobs = []
            return nil
        }
    }

    func resolveAck(_ packet: SocketIOPacket) {
        guard let id = packet.ackID else { return }
        let pending = self.state.withLock { $0.pendingAcks.removeValue(forKey: id) }
        pending?.timeout?.cancel()
        pending?.continuation.resume(returning: packet.payload?.arrayValue ?? [])
    }

    private func failAck(_ id: Int, with error: SocketIOAckError) {
        let pending = self.state.withLock { $0.pendingAcks.removeValue(forKey: id) }
        pending?.continuation.resume(throwing: error)
    }
}
