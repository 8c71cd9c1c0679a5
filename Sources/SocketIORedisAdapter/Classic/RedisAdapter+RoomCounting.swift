import SocketIO

extension RedisAdapter: SocketIORoomCounting {
    /// Rooms are local to each node: this node's rooms.
    var roomCount: Int { self.local.roomCount }
}
