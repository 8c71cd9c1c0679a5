/// Selects sockets of a namespace for an emit or a server-side utility:
/// `io.to("room").except("other").emit(…)`. A value: each modifier returns a narrowed copy.
///
/// A broadcast is `async` where a socket's own `emit` is not: it may cross to other nodes,
/// and its result says whether they were reached. On this node it only queues frames.
public struct SocketIOBroadcastOperator: Sendable {
    /// The namespace whose sockets are selected.
    public let namespace: SocketIONamespace
    /// The selection so far, as the adapter receives it.
    public private(set) var options = SocketIOBroadcastOptions()
    /// How long `emitWithAck` waits for the sockets' answers.
    public private(set) var ackTimeout: Duration?

    init(namespace: SocketIONamespace) {
        self.namespace = namespace
    }

    // MARK: Modifiers

    /// Narrows to the sockets in any of `rooms` (a socket id is a room of one).
    public func to(_ rooms: String...) -> Self {
        self.to(rooms)
    }

    /// Narrows to the sockets in any of `rooms`, given as a collection.
    public func to(_ rooms: some Sequence<String>) -> Self {
        var copy = self
        copy.options.rooms.formUnion(rooms)
        return copy
    }

    /// The same as `to` (Node offers both names).
    public func `in`(_ rooms: String...) -> Self {
        self.to(rooms)
    }

    /// Leaves out the sockets in any of `rooms`.
    public func except(_ rooms: String...) -> Self {
        self.except(rooms)
    }

    /// Leaves out the sockets in any of `rooms`, given as a collection.
    public func except(_ rooms: some Sequence<String>) -> Self {
        var copy = self
        copy.options.exceptRooms.formUnion(rooms)
        return copy
    }

    /// Only this node's sockets, even with a cluster adapter.
    public var local: Self {
        var copy = self
        copy.options.localOnly = true
        return copy
    }

    /// Drops the event for each socket whose transport cannot take it at once (a poll not
    /// waiting, a websocket still writing), instead of queueing it.
    public var volatile: Self {
        var copy = self
        copy.options.volatile = true
        return copy
    }

    /// Whether permessage-deflate websockets may compress the event (true unless said).
    public func compress(_ enabled: Bool) -> Self {
        var copy = self
        copy.options.compress = enabled
        return copy
    }

    /// How long `emitWithAck` waits for answers (the server's `ackTimeout` otherwise).
    public func timeout(_ duration: Duration) -> Self {
        var copy = self
        copy.ackTimeout = duration
        return copy
    }

    // MARK: Emitting

    /// Sends the event to every selected socket; the packet is encoded once. Returns false when
    /// a cluster adapter could not reach the other nodes.
    @discardableResult
    public func emit(_ event: String, _ arguments: SocketIOValue...) async -> Bool {
        await self.emit(event, arguments: arguments)
    }

    /// Sends the event, its arguments given as an array, to every selected socket.
    @discardableResult
    public func emit(_ event: String, arguments: [SocketIOValue]) async -> Bool {
        await self.namespace.broadcast([.event(event, arguments, namespace: self.namespace.name)], options: self.options)
    }

    /// Sends `Encodable` values as the event's arguments (see `SocketIOValue(encoding:)`).
    /// - Throws: The encoding error of a value that has no JSON form; nothing is sent then.
    @discardableResult
    public func emit<each Argument: Encodable>(_ event: String, encoding arguments: repeat each Argument) async throws -> Bool {
        await self.emit(event, arguments: try SocketIOValue.encodingEach(repeat each arguments))
    }

    /// Sends several events to every selected socket as one broadcast: each socket receives them
    /// together and in order (one write on a websocket, one message between cluster nodes).
    @discardableResult
    public func emit(together events: [(name: String, arguments: [SocketIOValue])]) async -> Bool {
        let packets = events.map { SocketIOPacket.event($0.name, $0.arguments, namespace: self.namespace.name) }
        return await self.namespace.broadcast(packets, options: self.options)
    }

    /// Sends the event to every selected socket, on every node, and waits for each one's
    /// acknowledgement: their first arguments, in the order they arrived.
    /// - Throws: `SocketIOAckTimeoutError`, with the answers that did arrive, when some sockets
    ///   had not answered by the timeout (`timeout(_:)`, or the server's `ackTimeout`).
    public func emitWithAck(_ event: String, _ arguments: SocketIOValue...) async throws(SocketIOAckTimeoutError) -> [SocketIOValue] {
        try await self.emitWithAck(event, arguments: arguments)
    }

    /// Sends the event, its arguments given as an array, and waits for each socket's
    /// acknowledgement.
    /// - Throws: `SocketIOAckTimeoutError` when some sockets had not answered by the timeout.
    public func emitWithAck(_ event: String, arguments: [SocketIOValue]) async throws(SocketIOAckTimeoutError) -> [SocketIOValue] {
        let timeout = self.ackTimeout ?? self.namespace.defaultAckTimeout
        let options = self.options
        let namespace = self.namespace
        async let remote = namespace.adapter.broadcastWithAckToOtherNodes(event, arguments, options: options, timeout: timeout)
        var results = await namespace.localBroadcastWithAck(event, arguments, options: options, timeout: timeout)
        results.merge(await remote)
        guard results.missing == 0 else {
            throw SocketIOAckTimeoutError(responses: results.responses, missing: results.missing)
        }
        return results.responses
    }

    // MARK: Server-side utilities

    /// This node's selected sockets.
    public var sockets: [SocketIOSocket] {
        self.namespace.sockets(ids: self.namespace.adapter.socketIDs(matching: self.options))
    }

    /// The selected sockets on every node (this one's first), as snapshots that can still be
    /// sent to, joined to rooms and disconnected.
    /// - Throws: What the adapter throws when it cannot ask the other nodes.
    public func fetchSockets() async throws -> [SocketIORemoteSocket] {
        let local = self.namespace.localSnapshots(matching: self.options)
        let remote = try await self.namespace.adapter.fetchSocketsOnOtherNodes(self.options, timeout: self.ackTimeout ?? self.namespace.defaultAckTimeout)
        return (local + remote).map { SocketIORemoteSocket($0, namespace: self.namespace) }
    }

    /// Makes the selected sockets, on every node, join rooms.
    public func socketsJoin(_ rooms: String...) async {
        await self.socketsJoin(rooms)
    }

    /// Makes the selected sockets, on every node, join rooms given as a collection.
    public func socketsJoin(_ rooms: some Sequence<String>) async {
        let rooms = Set(rooms)
        self.namespace.localJoin(matching: self.options, rooms: rooms)
        await self.namespace.adapter.addSocketsOnOtherNodes(self.options, rooms: rooms)
    }

    /// Makes the selected sockets, on every node, leave rooms.
    public func socketsLeave(_ rooms: String...) async {
        await self.socketsLeave(rooms)
    }

    /// Makes the selected sockets, on every node, leave rooms given as a collection.
    public func socketsLeave(_ rooms: some Sequence<String>) async {
        let rooms = Set(rooms)
        self.namespace.localLeave(matching: self.options, rooms: rooms)
        await self.namespace.adapter.removeSocketsOnOtherNodes(self.options, rooms: rooms)
    }

    /// Disconnects the selected sockets on every node (`io server disconnect` for their
    /// clients); with `closeConnections`, their whole connections are closed too.
    public func disconnectSockets(closeConnections: Bool = false) async {
        self.namespace.localDisconnect(matching: self.options, closeConnections: closeConnections)
        await self.namespace.adapter.disconnectSocketsOnOtherNodes(self.options, close: closeConnections)
    }
}
