/// Which sockets a broadcast reaches: those in any of `rooms` (every socket when empty), minus
/// those in any of `exceptRooms`. Each socket gets the packet once, however many rooms it shares.
public struct SocketIOBroadcastOptions: Sendable, Hashable {
    public var rooms: Set<String>
    public var exceptRooms: Set<String>
    /// Only this node's sockets, even with a cluster adapter.
    public var localOnly: Bool

    public init(rooms: Set<String> = [], exceptRooms: Set<String> = [], localOnly: Bool = false) {
        self.rooms = rooms
        self.exceptRooms = exceptRooms
        self.localOnly = localOnly
    }
}

/// Room membership and broadcasting for one namespace: the seam where a cluster adapter (Redis)
/// replaces the in-process default.
///
/// Membership is about this node's sockets; `broadcast` is about every node's.
public protocol SocketIOAdapter: Sendable {
    /// Called once by the namespace, to hand the adapter the way to reach its local sockets.
    func attach(_ delivery: SocketIOLocalDelivery)
    func join(_ socketID: String, rooms: Set<String>)
    func leave(_ socketID: String, room: String)
    func leaveAll(_ socketID: String)
    func rooms(of socketID: String) -> Set<String>
    /// The ids of this node's sockets the options select.
    func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String>
    /// Sends packets to the sockets the options select (on every node, for a cluster adapter),
    /// together: each socket gets them in order, in one write where its transport allows.
    /// Returns false when other nodes could not be reached (this node's sockets still got them).
    @discardableResult
    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool
}

/// Makes one adapter per namespace.
public protocol SocketIOAdapterFactory: Sendable {
    func makeAdapter(namespace: String) -> any SocketIOAdapter
}
