/// What a node can tell another about one of its sockets (Node's `RemoteSocket` data): enough
/// to look at it, not the socket itself.
public struct SocketIOSocketSnapshot: Sendable {
    /// The socket's id, also its own room.
    public let id: String
    /// What it presented when it connected.
    public let handshake: SocketIOHandshake
    /// Its rooms, its own included.
    public let rooms: Set<String>
    /// Its `data`.
    public let data: SocketIOValue

    /// Made by a node for its own socket, or by a cluster adapter from another node's answer.
    public init(id: String, handshake: SocketIOHandshake, rooms: Set<String>, data: SocketIOValue) {
        self.id = id
        self.handshake = handshake
        self.rooms = rooms
        self.data = data
    }
}

/// A socket `fetchSockets` found, on this node or another: its snapshot, and the operations
/// that reach it wherever it is (through the adapter, for a socket of another node).
public struct SocketIORemoteSocket: Sendable {
    /// What the socket's node reported of it.
    public let snapshot: SocketIOSocketSnapshot
    private let namespace: SocketIONamespace

    init(_ snapshot: SocketIOSocketSnapshot, namespace: SocketIONamespace) {
        self.snapshot = snapshot
        self.namespace = namespace
    }

    /// The socket's id, also its own room.
    public var id: String { self.snapshot.id }
    /// What it presented when it connected.
    public var handshake: SocketIOHandshake { self.snapshot.handshake }
    /// Its rooms when it was fetched, its own included.
    public var rooms: Set<String> { self.snapshot.rooms }
    /// Its `data` when it was fetched.
    public var data: SocketIOValue { self.snapshot.data }

    private var only: SocketIOBroadcastOperator { self.namespace.to(self.id) }

    /// Sends an event to this socket.
    @discardableResult
    public func emit(_ event: String, _ arguments: SocketIOValue...) async -> Bool {
        await self.only.emit(event, arguments: arguments)
    }

    /// Makes the socket join rooms, wherever it is.
    public func join(_ rooms: String...) async {
        await self.only.socketsJoin(rooms)
    }

    /// Makes the socket leave rooms, wherever it is.
    public func leave(_ rooms: String...) async {
        await self.only.socketsLeave(rooms)
    }

    /// Disconnects the socket (`io server disconnect` for its client); with
    /// `closeConnection`, its whole connection is closed too.
    public func disconnect(closeConnection: Bool = false) async {
        await self.only.disconnectSockets(closeConnections: closeConnection)
    }
}
