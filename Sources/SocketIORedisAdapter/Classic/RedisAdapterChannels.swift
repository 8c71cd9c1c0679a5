/// The channel names of `@socket.io/redis-adapter` for one namespace, so that Node and Swift
/// nodes sharing a key prefix hear each other.
struct RedisAdapterChannels: Sendable, Hashable {
    let prefix: String
    let namespace: String

    /// Broadcasts to every socket, or to several rooms: `socket.io#/#`.
    var broadcast: String { "\(self.prefix)#\(self.namespace)#" }
    /// What the subscriber listens to for broadcasts: `socket.io#/#*`.
    var broadcastPattern: String { self.broadcast + "*" }
    /// A broadcast to exactly one room: `socket.io#/#room#`.
    func broadcast(toRoom room: String) -> String { "\(self.broadcast)\(room)#" }
    /// Requests from any node to every node: `socket.io-request#/#`. Its subscriber count is
    /// the number of nodes.
    var request: String { "\(self.prefix)-request#\(self.namespace)#" }
    /// Responses for every node: `socket.io-response#/#`.
    var response: String { "\(self.prefix)-response#\(self.namespace)#" }
    /// Responses for one node only: `socket.io-response#/#<uid>#`.
    func response(forNode uid: String) -> String { "\(self.response)\(uid)#" }

    /// The channel of a broadcast: a room's own when it selects exactly one (nodes without
    /// that room could skip it), the namespace's otherwise.
    func broadcast(for rooms: Set<String>) -> String {
        if rooms.count == 1, let room = rooms.first { return self.broadcast(toRoom: room) }
        return self.broadcast
    }
}
