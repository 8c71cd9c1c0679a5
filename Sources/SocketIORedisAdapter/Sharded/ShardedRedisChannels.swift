/// The shard channels of Node's sharded adapter (`createShardedAdapter` of
/// `@socket.io/redis-adapter` 8) for one namespace.
struct ShardedRedisChannels: Sendable, Hashable {
    let prefix: String
    let namespace: String

    /// Every message to every node: `socket.io#/#`. Its subscriber count is the number of nodes.
    var main: String { "\(self.prefix)#\(self.namespace)#" }
    /// Responses to one node: `socket.io#/#<uid>#`.
    func responses(forNode uid: String) -> String { "\(self.main)\(uid)#" }
    /// A broadcast to one room, in the dynamic modes: `socket.io#/#<room>#`.
    func room(_ room: String) -> String { "\(self.main)\(room)#" }

    /// Where a broadcast goes: its room's channel when it selects one room the mode gives a
    /// channel (and is not a broadcast with acknowledgements, whose answers are counted per
    /// node), the namespace's otherwise.
    func broadcast(to rooms: Set<String>, mode: ShardedSubscriptionMode, withAck: Bool) -> String {
        guard !withAck, rooms.count == 1, let room = rooms.first, Self.hasChannel(room, mode: mode) else { return self.main }
        return self.room(room)
    }

    /// Whether the mode gives `room` a channel of its own. Node tells a socket's own room by its
    /// 20-character id when sending, and by its local sockets when subscribing; ids here are
    /// 20 characters too, so both agree.
    static func hasChannel(_ room: String, mode: ShardedSubscriptionMode) -> Bool {
        switch mode {
        case .static: false
        case .dynamic: !Self.looksLikeASocketID(room)
        case .dynamicPrivate: true
        }
    }

    /// As JavaScript measures `room.length`: in UTF-16 code units.
    private static func looksLikeASocketID(_ room: String) -> Bool { room.utf16.count == 20 }
}
