/// What can broadcast: a namespace, a dynamic namespace group, the server (its main
/// namespace). One set of modifiers, emits and server-side utilities for all of them, each the
/// `SocketIOBroadcastOperator` method of the same name on `all`.
public protocol SocketIOBroadcasting: Sendable {
    /// Every socket, on every node: what the modifiers narrow.
    var all: SocketIOBroadcastOperator { get }
}

extension SocketIOBroadcasting {
    /// The sockets in any of `rooms`.
    public func to(_ rooms: String...) -> SocketIOBroadcastOperator { self.all.to(rooms) }

    /// The sockets in any of `rooms`, given as a collection.
    public func to(_ rooms: some Sequence<String>) -> SocketIOBroadcastOperator { self.all.to(rooms) }

    /// The same as `to`.
    public func `in`(_ rooms: String...) -> SocketIOBroadcastOperator { self.all.to(rooms) }

    /// Every socket but those in any of `rooms`.
    public func except(_ rooms: String...) -> SocketIOBroadcastOperator { self.all.except(rooms) }

    /// Every socket but those in any of `rooms`, given as a collection.
    public func except(_ rooms: some Sequence<String>) -> SocketIOBroadcastOperator { self.all.except(rooms) }

    /// This node's sockets only.
    public var local: SocketIOBroadcastOperator { self.all.local }

    /// Dropped for sockets that cannot take the event at once.
    public var volatile: SocketIOBroadcastOperator { self.all.volatile }

    /// Whether permessage-deflate websockets may compress the event.
    public func compress(_ enabled: Bool) -> SocketIOBroadcastOperator { self.all.compress(enabled) }

    /// How long `emitWithAck` and `fetchSockets` wait.
    public func timeout(_ duration: Duration) -> SocketIOBroadcastOperator { self.all.timeout(duration) }

    /// Sends an event to every socket. Returns false when other nodes could not be reached.
    @discardableResult
    public func emit(_ event: String, _ arguments: SocketIOValue...) async -> Bool {
        await self.all.emit(event, arguments: arguments)
    }

    /// Sends an event, its arguments given as an array, to every socket.
    @discardableResult
    public func emit(_ event: String, arguments: [SocketIOValue]) async -> Bool {
        await self.all.emit(event, arguments: arguments)
    }

    /// Sends `Encodable` values as the event's arguments.
    /// - Throws: The encoding error of a value that has no JSON form; nothing is sent then.
    @discardableResult
    public func emit<each Argument: Encodable>(_ event: String, encoding arguments: repeat each Argument) async throws -> Bool {
        await self.all.emit(event, arguments: try SocketIOValue.encodingEach(repeat each arguments))
    }

    /// Sends an event to every socket and collects their acknowledgements.
    /// - Throws: `SocketIOAckTimeoutError`, with the answers that did arrive, when some sockets
    ///   had not answered in time.
    public func emitWithAck(_ event: String, _ arguments: SocketIOValue...) async throws(SocketIOAckTimeoutError) -> [SocketIOValue] {
        try await self.all.emitWithAck(event, arguments: arguments)
    }

    /// Every socket, on every node.
    /// - Throws: What the adapter throws when it cannot ask the other nodes.
    public func fetchSockets() async throws -> [SocketIORemoteSocket] {
        try await self.all.fetchSockets()
    }

    /// Makes every socket join rooms.
    public func socketsJoin(_ rooms: String...) async { await self.all.socketsJoin(rooms) }

    /// Makes every socket leave rooms.
    public func socketsLeave(_ rooms: String...) async { await self.all.socketsLeave(rooms) }

    /// Disconnects every socket.
    public func disconnectSockets(closeConnections: Bool = false) async {
        await self.all.disconnectSockets(closeConnections: closeConnections)
    }
}
