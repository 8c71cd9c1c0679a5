/// Room membership and broadcasting for one namespace: the seam where a cluster adapter (Redis)
/// replaces the in-process default.
///
/// Membership is about this node's sockets; `broadcast` is about every node's. The server-side
/// utilities (`fetchSockets`, `socketsJoin`, `serverSideEmit`, broadcasts with acknowledgements)
/// are split the same way: the namespace serves this node's part itself and asks the adapter
/// only for the other nodes' (the requirements named `…OtherNodes`), so an adapter for a single
/// node implements none of them (the defaults say there are no other nodes) and a cluster
/// adapter answers the other nodes' requests through `SocketIOLocalDelivery`. Options with
/// `localOnly` set ask a cluster adapter not to reach the other nodes, for requests as for
/// broadcasts.
public protocol SocketIOAdapter: Sendable {
    /// Called once by the namespace, to hand the adapter the way to reach its local sockets.
    func attach(_ delivery: SocketIOLocalDelivery)
    /// Adds a socket of this node to rooms; `rooms` may hold its own id (its own room).
    ///
    /// Called under the socket's lock, so that a join cannot race its disconnect: it must not
    /// call back into the socket, nor block (membership is this node's, kept in memory, even
    /// in a cluster adapter).
    func join(_ socketID: String, rooms: Set<String>)
    /// Removes a socket of this node from one room (its own room too, when `room` is its id).
    func leave(_ socketID: String, room: String)
    /// Removes a socket of this node from every room, as it disconnects.
    func leaveAll(_ socketID: String)
    /// The rooms a socket of this node is in, its own included.
    func rooms(of socketID: String) -> Set<String>
    /// The rooms of this node's sockets, their own rooms included.
    var localRooms: Set<String> { get }
    /// The ids of this node's sockets the options select.
    func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String>
    /// Sends packets to the sockets the options select (on every node, for a cluster adapter),
    /// together: each socket gets them in order, in one write where its transport allows.
    /// Returns false when other nodes could not be reached (this node's sockets still got them).
    @discardableResult
    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool

    // MARK: The other nodes

    /// How many nodes serve this namespace, this one included.
    func serverCount() async -> Int
    /// The sockets the options select on the other nodes, each node given until `timeout`.
    func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot]
    /// The rooms of the other nodes' sockets, each node given until `timeout`.
    func roomsOnOtherNodes(timeout: Duration) async throws -> Set<String>
    /// Makes the selected sockets of the other nodes join `rooms`.
    func addSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async
    /// Makes the selected sockets of the other nodes leave `rooms`.
    func removeSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async
    /// Disconnects the selected sockets of the other nodes (closing their connections with `close`).
    func disconnectSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, close: Bool) async
    /// Hands a server-side event to the other nodes' namespace (their `onServerSideEmit`
    /// handlers); with a `timeout`, waits for each node's acknowledgement until then.
    func serverSideEmitToOtherNodes(_ event: String, _ arguments: [SocketIOValue], timeout: Duration?) async -> SocketIOAckResults
    /// Sends an event that asks for acknowledgements to the selected sockets of the other nodes
    /// and collects the answers that arrive before `timeout`.
    func broadcastWithAckToOtherNodes(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults
}

/// A single node's adapter: there are no other nodes to ask.
extension SocketIOAdapter {
    /// One: this node.
    public func serverCount() async -> Int { 1 }

    /// None: there are no other nodes.
    public func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot] { [] }

    /// None: there are no other nodes.
    public func roomsOnOtherNodes(timeout: Duration) async throws -> Set<String> { [] }

    /// Nothing to do: there are no other nodes.
    public func addSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {}

    /// Nothing to do: there are no other nodes.
    public func removeSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {}

    /// Nothing to do: there are no other nodes.
    public func disconnectSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, close: Bool) async {}

    /// No answers, none missing: there are no other nodes.
    public func serverSideEmitToOtherNodes(_ event: String, _ arguments: [SocketIOValue], timeout: Duration?) async -> SocketIOAckResults {
        SocketIOAckResults()
    }

    /// No answers, none missing: there are no other nodes.
    public func broadcastWithAckToOtherNodes(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        SocketIOAckResults()
    }
}

/// Makes one adapter per namespace (what `SocketIOServer(adapter:)` takes, so that each
/// namespace, including those a dynamic group creates later, gets its own), and its session
/// store when connection-state recovery is on.
public protocol SocketIOAdapterFactory: Sendable {
    /// A new adapter for the namespace `namespace` (its name, such as `/` or `/tenant-42`);
    /// called once per namespace, when it is created.
    func makeAdapter(namespace: String) -> any SocketIOAdapter
    /// The store that keeps a namespace's disconnected sessions and the events they may miss.
    /// The default keeps them in this process (`InMemorySessionStore`).
    func makeSessionStore(namespace: String, limits: SocketIOConnectionStateRecovery) -> any SocketIOSessionStore
}

extension SocketIOAdapterFactory {
    /// This node's memory: clients recover when they come back to the node they left.
    public func makeSessionStore(namespace: String, limits: SocketIOConnectionStateRecovery) -> any SocketIOSessionStore {
        InMemorySessionStore(limits: limits)
    }
}
