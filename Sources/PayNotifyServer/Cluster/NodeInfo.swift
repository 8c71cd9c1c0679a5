import EngineIO
import Logging
import Payments
import SocketIO

/// One node's figures as the server-side event `node_info` answers them:
/// `{node, connections, watchedBookings}`. Any node of the cluster, a Node socket.io one
/// included, asks every PayNotify node with `serverSideEmit("node_info", callback)`; the
/// dashboard's per-node view asks the same way (`NodeInfo.cluster`).
struct NodeInfo: Codable, Sendable, Equatable {
    static let event = "node_info"

    /// The node's id: the Redis adapter's uid in a cluster.
    let node: String
    /// Engine.IO sessions of the customers' endpoint.
    let connections: Int
    /// Bookings with at least one page watching them.
    let watchedBookings: Int

    init(node: String, connections: Int, watchedBookings: Int) {
        self.node = node
        self.connections = connections
        self.watchedBookings = watchedBookings
    }

    init(_ figures: NodeFigures) {
        self.init(node: figures.node.id, connections: figures.io.engine.sessionCount, watchedBookings: figures.watchList.watchedCount)
    }

    /// Answers `node_info` on the main namespace, where Node's `io.serverSideEmit` sends it.
    static func answer(with figures: NodeFigures, logger: Logger) {
        figures.io.main.onServerSideEmit(Self.event) { event in
            do {
                event.ack(try SocketIOValue(encoding: NodeInfo(figures)))
            } catch {
                logger.error("node_info not encoded", metadata: ["error": "\(error)"])
            }
        }
    }

    /// What the cluster's nodes answered, this one first.
    struct Cluster: Encodable, Sendable {
        let nodes: [NodeInfo]
        /// Nodes counted by the adapter that did not answer within the timeout.
        let missing: Int
        /// Answers that were not `{node, connections, watchedBookings}` (a node answering
        /// `node_info` with something else): left out of `nodes`, counted here.
        let unreadable: Int
    }

    /// Asks every other node for its `node_info` and adds this node's own; a node that does not
    /// answer within `timeout` is counted in `missing`, not waited for.
    static func cluster(_ figures: NodeFigures, timeout: Duration) async -> Cluster {
        let answers: [SocketIOValue]
        let missing: Int
        do {
            answers = try await figures.io.main.serverSideEmitWithAck(Self.event, timeout: timeout)
            missing = 0
        } catch {
            answers = error.responses
            missing = error.missing
        }
        let others = answers.compactMap { try? $0.decode(as: NodeInfo.self) }
        return Cluster(nodes: [NodeInfo(figures)] + others, missing: missing, unreadable: answers.count - others.count)
    }
}
