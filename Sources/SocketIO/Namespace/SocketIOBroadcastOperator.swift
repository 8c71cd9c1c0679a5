/// Selects sockets of a namespace for an emit: `namespace.to("room").except("other").emit(…)`.
/// A value: each call returns a narrowed copy.
public struct SocketIOBroadcastOperator: Sendable {
    public let namespace: SocketIONamespace
    public private(set) var options = SocketIOBroadcastOptions()

    init(namespace: SocketIONamespace) {
        self.namespace = namespace
    }

    public func to(_ rooms: String...) -> Self {
        self.to(rooms)
    }

    public func to(_ rooms: some Sequence<String>) -> Self {
        var copy = self
        copy.options.rooms.formUnion(rooms)
        return copy
    }

    public func except(_ rooms: String...) -> Self {
        self.except(rooms)
    }

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

    /// Sends the event to every selected socket; the packet is encoded once. Returns false when
    /// a cluster adapter could not reach the other nodes.
    @discardableResult
    public func emit(_ event: String, _ arguments: SocketIOValue...) async -> Bool {
        await self.emit(event, arguments: arguments)
    }

    @discardableResult
    public func emit(_ event: String, arguments: [SocketIOValue]) async -> Bool {
        await self.namespace.adapter.broadcast([.event(event, arguments, namespace: self.namespace.name)], options: self.options)
    }

    /// Sends several events to every selected socket as one broadcast: each socket receives them
    /// together and in order (one write on a websocket, one message between cluster nodes).
    @discardableResult
    public func emit(together events: [(name: String, arguments: [SocketIOValue])]) async -> Bool {
        let packets = events.map { SocketIOPacket.event($0.name, $0.arguments, namespace: self.namespace.name) }
        return await self.namespace.adapter.broadcast(packets, options: self.options)
    }

    /// This node's selected sockets.
    public var sockets: [SocketIOSocket] {
        self.namespace.sockets(ids: self.namespace.adapter.socketIDs(matching: self.options))
    }

    /// Makes this node's selected sockets join rooms.
    public func socketsJoin(_ rooms: String...) {
        for socket in self.sockets { socket.join(rooms) }
    }

    /// Makes this node's selected sockets leave a room.
    public func socketsLeave(_ room: String) {
        for socket in self.sockets { socket.leave(room) }
    }

    /// Disconnects this node's selected sockets.
    public func disconnectSockets(closeConnections: Bool = false) {
        for socket in self.sockets { socket.disconnect(closeConnection: closeConnections) }
    }
}
