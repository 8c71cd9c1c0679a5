import SocketIO

/// What both Redis adapters keep for this node alone, in an `InMemoryAdapter`: rooms are local
/// to each node, and read the same way in either protocol.
protocol LocalRooms: SocketIOAdapter, SocketIORoomCounting {
    /// This node's sockets and their rooms.
    var local: InMemoryAdapter { get }
}

extension LocalRooms {
    func rooms(of socketID: String) -> Set<String> { self.local.rooms(of: socketID) }
    var localRooms: Set<String> { self.local.localRooms }
    func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String> { self.local.socketIDs(matching: options) }
    /// This node's rooms.
    var roomCount: Int { self.local.roomCount }
}
