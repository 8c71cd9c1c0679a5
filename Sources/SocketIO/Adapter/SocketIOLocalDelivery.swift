import EngineIO

/// How an adapter hands an encoded packet to sockets of this node.
///
/// Holds its namespace weakly: the namespace owns the adapter, not the other way round.
public struct SocketIOLocalDelivery: Sendable {
    private weak let namespace: SocketIONamespace?

    init(namespace: SocketIONamespace) {
        self.namespace = namespace
    }

    /// Queues the same encoded frames on each socket's connection: shared, so that a recipient
    /// costs a reference to them and no encoding.
    public func deliver(_ packet: SocketIOEncodedPacket, to socketIDs: some Sequence<String>) {
        guard let namespace = self.namespace else { return }
        let shared = EngineIOSharedFrames(packet.frames)
        for socket in namespace.sockets(ids: socketIDs) {
            socket.client.session.send(shared)
        }
    }
}
