import Logging
import ServiceLifecycle
import SocketIO

/// Broadcasts this node's figures (`NodeReport`) to the dashboard namespace every `interval`,
/// as the `node` event. Through the namespace's adapter, so in a cluster every operator hears
/// every node: the dashboard's per-node table and its cluster-wide webhook chart are the latest
/// report of each node it heard from. A node silent for a few intervals is shown as stale.
struct NodeReporter: Service {
    let figures: NodeFigures
    /// The dashboard's namespace: where reports go, and whose sockets are the operators.
    let namespace: SocketIONamespace
    var interval: Duration = .seconds(5)
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = NodeReport(self.figures, operators: self.namespace.socketCount)
                    await self.namespace.emit("node", try SocketIOValue(encoding: report))
                } catch {
                    self.logger.error("Node report not encoded", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
