import EngineIO

/// Where connection-state recovery keeps what a disconnected client may come back for: its
/// session, and the events sent while it was away. One per namespace.
///
/// The seam for a cluster: the in-process `InMemorySessionStore` recovers clients that come
/// back to the node they left (the usual case behind sticky sessions); a store shared between
/// nodes (`SocketIOAdapterFactory.makeSessionStore`) recovers them anywhere.
public protocol SocketIOSessionStore: Sendable {
    /// Gives each event packet without an acknowledgement id an offset (appended to its
    /// arguments, where the official client reads it), keeps it for the sessions the options
    /// select, and returns the packets to send.
    func record(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) -> [SocketIOPacket]
    /// Keeps the session of a socket that disconnected for a reason it may recover from.
    func persist(_ session: SocketIOPersistedSession)
    /// The session `privateID` with the events it missed after `offset`, removed from the store;
    /// nil when it expired, is unknown, or its missed events are no longer all kept.
    func restore(privateID: String, offset: String) async -> SocketIORecoveredSession?
}

/// A disconnected socket, as recovery needs it back.
public struct SocketIOPersistedSession: Sendable, Hashable {
    /// The socket's public id, which the recovered socket keeps.
    public let socketID: String
    /// The secret the client presents to recover (Node's `pid`): never the public socket id.
    public let privateID: String
    /// Its rooms, its own included.
    public let rooms: Set<String>
    /// Its `data`, restored with it.
    public let data: SocketIOValue

    /// A session as a store keeps it.
    public init(socketID: String, privateID: String, rooms: Set<String>, data: SocketIOValue) {
        self.socketID = socketID
        self.privateID = privateID
        self.rooms = rooms
        self.data = data
    }
}

/// A session being recovered, and the events it missed, encoded and in order.
public struct SocketIORecoveredSession: Sendable {
    /// The session as it was when the socket disconnected.
    public let session: SocketIOPersistedSession
    /// The events sent since the client's offset that would have reached it, oldest first,
    /// encoded for its namespace.
    public let missedPackets: [SocketIOEncodedPacket]

    /// A restored session and what it missed.
    public init(session: SocketIOPersistedSession, missedPackets: [SocketIOEncodedPacket]) {
        self.session = session
        self.missedPackets = missedPackets
    }
}

/// What a session store holds, for a gauge or a health check.
public struct SocketIOSessionStoreStatistics: Sendable, Hashable {
    /// Disconnected sessions kept.
    public var sessions = 0
    /// Events kept for them.
    public var packets = 0
    /// Bytes of those events, encoded.
    public var bytes = 0
    /// Events dropped before their time because a bound was reached.
    public var evictedPackets = 0
    /// Sessions dropped before their time because `maximumSessions` was reached.
    public var evictedSessions = 0

    /// All zero: an empty store.
    public init() {}
}
