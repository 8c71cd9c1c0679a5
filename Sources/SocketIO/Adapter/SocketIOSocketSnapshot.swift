/// What a node can tell another about one of its sockets (Node's `RemoteSocket` data): enough
/// to look at it, not the socket itself.
public struct SocketIOSocketSnapshot: Sendable {
    public let id: String
    public let handshake: SocketIOHandshake
    /// Its rooms, its own included.
    public let rooms: Set<String>
    /// Its `data`.
    public let data: SocketIOValue

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
    public let snapshot: SocketIOSocketSnapshot
    private let namespace: SocketIONamespace

    init(_ snapshot: SocketIOSocketSnapshot, namespace: SocketIONamespace) {
        self.snapshot = snapshot
        self.namespace = namespace
    }

    public var id: String { self.snapshot.id }
    public var handshake: SocketIOHandshake { self.snapshot.handshake }
    public var rooms: Set<String> { self.snapshot.rooms }
    public var data: SocketIOValue { self.snapshot.data }

    private var only: SocketIOBroadcastOperator { self.namespace.to(self.id) }

    /// Sends an event to this socket.
    @discardableResult
    public func emit(_ event: String, _ arguments: SocketIOValue...) async -> Bool {
        await self.only.emit(event, arguments: arguments)
    }

    public func join(_ rooms: String...) async {
        await self.only.socketsJoin(rooms)
    }

    public func leave(_ rooms: String...) async {
        await self.only.socketsLeave(rooms)
    }

    public func disconnect(closeConnection: Bool = false) async {
        await self.only.disconnectSockets(closeConnections: closeConnection)
    }
}
