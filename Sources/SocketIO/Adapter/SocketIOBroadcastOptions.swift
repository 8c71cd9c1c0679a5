/// Which sockets a broadcast reaches, and how: those in any of `rooms` (every socket when
/// empty), minus those in any of `exceptRooms`. Each socket gets the packet once, however many
/// rooms it shares.
public struct SocketIOBroadcastOptions: Sendable, Hashable {
    /// The rooms whose sockets are reached; every socket when empty.
    public var rooms: Set<String>
    /// The rooms whose sockets are left out, even when they are in one of `rooms`.
    public var exceptRooms: Set<String>
    /// Only this node's sockets, even with a cluster adapter.
    public var localOnly: Bool
    /// Dropped for each socket whose transport cannot take it at once (see
    /// `EngineIOSession.sendIfWritable`) rather than queued.
    public var volatile: Bool
    /// Whether a permessage-deflate websocket may compress the packet (Node's `compress`).
    public var compress: Bool

    /// Every socket, queued, compressible, on every node, unless the arguments narrow it.
    public init(rooms: Set<String> = [], exceptRooms: Set<String> = [], localOnly: Bool = false, volatile: Bool = false, compress: Bool = true) {
        self.rooms = rooms
        self.exceptRooms = exceptRooms
        self.localOnly = localOnly
        self.volatile = volatile
        self.compress = compress
    }
}
