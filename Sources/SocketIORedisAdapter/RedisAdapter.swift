import EngineIO
import Logging
import NIOCore
import Redis
import SocketIO
import Synchronization

/// A Socket.IO adapter for a cluster of nodes sharing a Redis: rooms stay local to each node,
/// and every broadcast is delivered to this node's sockets and published for the others.
///
/// The packet is encoded once; this node delivers the frames directly and the other nodes
/// deliver the same frames from the message, without encoding again. A node ignores its own
/// messages. If Redis is unreachable, local delivery still happens and the failure is counted
/// and logged: sockets on this node keep working while the cluster link is down.
final class RedisAdapter: SocketIOAdapter {
    let namespace: String
    private let nodeID: String
    private let channel: String
    private let publisher: any RedisCommandExecutor
    private let logger: Logger
    let local = InMemoryAdapter()
    private let counters = Mutex(RedisAdapterCounters())

    init(namespace: String, nodeID: String, channel: String, publisher: any RedisCommandExecutor, logger: Logger) {
        self.namespace = namespace
        self.nodeID = nodeID
        self.channel = channel
        self.publisher = publisher
        self.logger = logger
    }

    /// Messages published, received from other nodes, and publications that failed.
    var counts: RedisAdapterCounters { self.counters.withLock { $0 } }

    func attach(_ delivery: SocketIOLocalDelivery) { self.local.attach(delivery) }
    func join(_ socketID: String, rooms: Set<String>) { self.local.join(socketID, rooms: rooms) }
    func leave(_ socketID: String, room: String) { self.local.leave(socketID, room: room) }
    func leaveAll(_ socketID: String) { self.local.leaveAll(socketID) }
    func rooms(of socketID: String) -> Set<String> { self.local.rooms(of: socketID) }
    func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String> { self.local.socketIDs(matching: options) }

    @discardableResult
    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool {
        let encoded = SocketIOEncodedPacket(combining: packets.map { $0.encoded() })
        self.local.broadcastLocally(encoded, options: options)
        guard !options.localOnly else { return true }
        let message = RedisBroadcastMessage(senderID: self.nodeID, namespace: self.namespace, options: options, frames: encoded.frames)
        do {
            _ = try await self.publisher.send(RESPCommand([ByteBuffer(string: "PUBLISH"), ByteBuffer(string: self.channel), message.encoded()]))
            self.counters.withLock { $0.published += 1 }
            return true
        } catch {
            self.counters.withLock { $0.publishFailures += 1 }
            self.logger.warning("Broadcast not published to other nodes", metadata: ["namespace": .string(self.namespace), "error": "\(error)"])
            return false
        }
    }

    /// A message from the channel: delivered to this node's sockets unless this node sent it.
    func receive(_ payload: ByteBuffer) {
        guard let message = RedisBroadcastMessage(decoding: payload), message.namespace == self.namespace else {
            self.logger.debug("Ignoring a message that is not a broadcast", metadata: ["channel": .string(self.channel)])
            return
        }
        guard message.senderID != self.nodeID else { return }
        self.counters.withLock { $0.received += 1 }
        self.local.broadcastLocally(SocketIOEncodedPacket(frames: message.frames), options: message.options)
    }
}
