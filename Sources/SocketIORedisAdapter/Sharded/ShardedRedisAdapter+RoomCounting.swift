import SocketIO

extension ShardedRedisAdapter: SocketIORoomCounting {
    /// Rooms are local to each node: this node's rooms.
    var roomCount: Int { self.local.roomCount }
}
