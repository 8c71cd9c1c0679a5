import EngineIO
import Payments
import SocketIO

/// Where this node's live figures are read from: its customers' Engine.IO endpoint, its
/// Socket.IO server, the bookings its pages watch, its metrics. `/metrics` samples them; the
/// dashboard reports them per node.
struct NodeFigures: Sendable {
    let node: NodeIdentity
    let engine: EngineIOServer
    let io: SocketIOServer
    let watchList: BookingWatchList
    let metrics: PayNotifyMetrics
}
