/// The `type` of a message on the request and response channels, numbered as in
/// `@socket.io/redis-adapter` (and `@socket.io/redis-emitter`, which sends the first seven).
enum RedisAdapterRequestType: Int, Sendable {
    /// The ids of the sockets in some rooms (`allSockets`, answered for older Node nodes).
    case sockets = 0
    /// Every room of every node.
    case allRooms = 1
    /// `socketsJoin`.
    case remoteJoin = 2
    /// `socketsLeave`.
    case remoteLeave = 3
    /// `disconnectSockets`.
    case remoteDisconnect = 4
    /// `fetchSockets`.
    case remoteFetch = 5
    /// `serverSideEmit`, and its acknowledgements.
    case serverSideEmit = 6
    /// A broadcast that asks its recipients for acknowledgements.
    case broadcast = 7
    /// How many sockets a node sent such a broadcast to.
    case broadcastClientCount = 8
    /// One socket's acknowledgement of such a broadcast.
    case broadcastAck = 9
}
