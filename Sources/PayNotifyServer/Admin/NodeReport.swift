import EngineIO
import Foundation
import Payments
import SocketIO

/// One node's figures for the dashboard: its connections, sockets and watched bookings, and the
/// webhooks it answered in the last hour per minute (only minutes that had any). Every node
/// broadcasts its own to the dashboard namespace (`NodeReporter`), so an operator on any node
/// sees them all; `GET /admin/api/overview` answers this node's at once.
struct NodeReport: Encodable, Sendable {
    struct Minute: Encodable, Sendable {
        let start: String
        /// By `WebhookOutcome` raw value.
        let counts: [String: Int]
    }

    let node: NodeIdentity
    let at: String
    /// Engine.IO sessions of the customers' endpoint (`/socket.io/`).
    let connections: Int
    /// Sockets in the main namespace: checkout pages.
    let sockets: Int
    /// Bookings with at least one page watching them.
    let watchedBookings: Int
    /// Sockets in the dashboard namespace.
    let operators: Int
    let webhookMinutes: [Minute]

    init(_ figures: NodeFigures, operators: Int, now: Date = Date()) {
        self.node = figures.node
        self.at = PaymentNotifications.timestamp(now)
        self.connections = figures.io.engine.sessionCount
        self.sockets = figures.io.main.socketCount
        self.watchedBookings = figures.watchList.watchedCount
        self.operators = operators
        self.webhookMinutes = figures.metrics.webhookOutcomesOfLastHour(endingAt: now).filter { !$0.counts.isEmpty }.map { minute in
            Minute(start: PaymentNotifications.timestamp(minute.start), counts: Dictionary(uniqueKeysWithValues: minute.counts.map { ($0.key.rawValue, $0.value) }))
        }
    }
}
