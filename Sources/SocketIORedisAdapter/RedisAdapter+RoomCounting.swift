public import SocketIO

extension RedisAdapter: SocketIORoomCounting {
    /// Rooms are local to each node: this node's rooms.
    public var roomCount: Int { self.local.roomCount }
}
