/// The `type` of socket.io-adapter's `ClusterAdapter` messages, which the sharded Redis adapter
/// publishes (`MessageType` in `cluster-adapter.ts`).
enum ClusterMessageType: Int, Sendable {
    case initialHeartbeat = 1
    case heartbeat
    case broadcast
    case socketsJoin
    case socketsLeave
    case disconnectSockets
    case fetchSockets
    case fetchSocketsResponse
    case serverSideEmit
    case serverSideEmitResponse
    case broadcastClientCount
    case broadcastAck
    case adapterClose

    /// Answers to one node's request, published on that node's response channel.
    var isResponse: Bool {
        switch self {
        case .fetchSocketsResponse, .serverSideEmitResponse, .broadcastClientCount, .broadcastAck: true
        default: false
        }
    }
}
