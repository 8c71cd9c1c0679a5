import Logging
import SocketIO
import Synchronization

/// One namespace adapter's counters, and the way both protocols send a broadcast to the other
/// nodes: each packet published in its own message (as Node's adapters do), the messages and
/// the failures counted, a failure logged (this node's sockets have the broadcast already).
final class BroadcastPublisher: Sendable {
    private let namespace: String
    private let logger: Logger
    private let counters = Mutex(RedisAdapterCounters())

    init(namespace: String, logger: Logger) {
        self.namespace = namespace
        self.logger = logger
    }

    var counts: RedisAdapterCounters { self.counters.withLock { $0 } }

    /// Publishes each packet with `publish`; false when Redis did not take them.
    func publish(_ packets: [SocketIOPacket], with publish: (SocketIOPacket) async throws -> Void) async -> Bool {
        do {
            for packet in packets { try await publish(packet) }
            self.counters.withLock { $0.published += packets.count }
            return true
        } catch {
            self.counters.withLock { $0.publishFailures += 1 }
            self.logger.warning("Broadcast not published to other nodes", metadata: ["namespace": .string(self.namespace), "error": "\(error)"])
            return false
        }
    }

    /// Another node's broadcast, delivered here.
    func received() {
        self.counters.withLock { $0.received += 1 }
    }
}
