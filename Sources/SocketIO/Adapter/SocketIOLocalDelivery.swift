import EngineIO

/// How an adapter reaches this node's sockets of its namespace: to deliver broadcasts, and to
/// answer other nodes' requests (a cluster adapter's side of the server-side utilities).
///
/// Holds its namespace weakly: the namespace owns the adapter, not the other way round.
public struct SocketIOLocalDelivery: Sendable {
    private weak let namespace: SocketIONamespace?

    init(namespace: SocketIONamespace) {
        self.namespace = namespace
    }

    /// Queues the same encoded frames on each socket's connection: shared, so that a recipient
    /// costs a reference to them and no encoding. A `volatile` packet is dropped for each
    /// connection that cannot take it at once; one not to `compress` is never compressed.
    public func deliver(_ packet: SocketIOEncodedPacket, to socketIDs: some Sequence<String>, volatile: Bool = false, compress: Bool = true) {
        guard let namespace = self.namespace else { return }
        let shared = EngineIOSharedFrames(packet.frames, compressible: compress)
        for socket in namespace.sockets(ids: socketIDs) {
            if volatile {
                socket.client.session.sendIfWritable(shared)
            } else {
                socket.client.session.send(shared)
            }
        }
    }

    /// Snapshots of this node's sockets the options select, for another node's `fetchSockets`.
    public func snapshots(matching options: SocketIOBroadcastOptions) -> [SocketIOSocketSnapshot] {
        self.namespace?.localSnapshots(matching: options) ?? []
    }

    /// Makes this node's selected sockets join `rooms`, for another node's `socketsJoin`.
    public func join(matching options: SocketIOBroadcastOptions, rooms: Set<String>) {
        self.namespace?.localJoin(matching: options, rooms: rooms)
    }

    /// Makes this node's selected sockets leave `rooms`, for another node's `socketsLeave`.
    public func leave(matching options: SocketIOBroadcastOptions, rooms: Set<String>) {
        self.namespace?.localLeave(matching: options, rooms: rooms)
    }

    /// Disconnects this node's selected sockets, for another node's `disconnectSockets`.
    public func disconnect(matching options: SocketIOBroadcastOptions, closeConnections: Bool) {
        self.namespace?.localDisconnect(matching: options, closeConnections: closeConnections)
    }

    /// Sends an event asking for acknowledgements to this node's selected sockets, for another
    /// node's broadcast with acknowledgements; what arrived before `timeout`.
    public func broadcastWithAck(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        await self.namespace?.localBroadcastWithAck(event, arguments, options: options, timeout: timeout) ?? SocketIOAckResults()
    }

    /// Sends an event asking for acknowledgements to this node's selected sockets, for another
    /// node's broadcast with acknowledgements: `onAsked` learns how many sockets were asked
    /// (those it then asks, counted once), before `onAnswer` gets each answer as it arrives,
    /// until `timeout`.
    public func broadcastWithAck(
        _ event: String,
        _ arguments: [SocketIOValue],
        options: SocketIOBroadcastOptions,
        timeout: Duration,
        onAsked: @Sendable (Int) -> Void,
        onAnswer: @escaping @Sendable (SocketIOValue) -> Void
    ) async {
        guard let namespace = self.namespace else { return onAsked(0) }
        _ = await namespace.localBroadcastWithAck(event, arguments, options: options, timeout: timeout, onAsked: onAsked, onAnswer: onAnswer)
    }

    /// Runs this node's handler for another node's server-side event.
    public func receiveServerSideEvent(_ event: SocketIOServerSideEvent) async {
        await self.namespace?.receiveServerSideEvent(event)
    }
}
