import Payments
import SocketIO

/// Where this node's live figures are read from: its Socket.IO server (and so its Engine.IO
/// endpoint), the bookings its pages watch, its metrics. `/metrics` samples them; the
/// dashboard reports them per node.
struct NodeFigures: Sendable {
    let node: NodeIdentity
    let io: SocketIOServer
    let watchList: BookingWatchList
    let metrics: PayNotifyMetrics
}
