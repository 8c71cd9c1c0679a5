import EngineIO
import Logging
import MessagePack
import NIOCore
import Redis
import SocketIO
import Synchronization

/// A Socket.IO adapter for a cluster of nodes sharing a Redis, speaking the protocol of Node's
/// `@socket.io/redis-adapter` 8: Node and Swift nodes with the same key prefix form one cluster,
/// and `@socket.io/redis-emitter` reaches the sockets of both.
///
/// Rooms stay local to each node. A broadcast is delivered to this node's sockets and published
/// for the others; the server-side utilities are requests on the namespace's request channel,
/// answered on its response channels. If Redis is unreachable, local delivery still happens and
/// the failure is counted and logged: sockets on this node keep working while the link is down.
final class RedisAdapter: LocalRooms {
    let namespace: String
    let nodeID: String
    let channels: RedisAdapterChannels
    let publisher: any RedisCommandExecutor
    /// Whether answers go to the asking node's own response channel rather than the shared one
    /// (Node's `publishOnSpecificResponseChannel`).
    let answersOnSpecificChannel: Bool
    let logger: Logger
    let local = InMemoryAdapter()
    let pending = RedisPendingRequests()
    private let delivery = Mutex<SocketIOLocalDelivery?>(nil)
    private let broadcasts: BroadcastPublisher
    /// Subscribes this namespace's channels, from the start.
    private let subscription: Task<Void, Never>

    init(
        namespace: String,
        nodeID: String,
        channels: RedisAdapterChannels,
        publisher: any RedisCommandExecutor,
        subscriber: RedisSubscriber,
        answersOnSpecificChannel: Bool,
        logger: Logger
    ) {
        self.namespace = namespace
        self.nodeID = nodeID
        self.channels = channels
        self.publisher = publisher
        self.answersOnSpecificChannel = answersOnSpecificChannel
        self.logger = logger
        self.broadcasts = BroadcastPublisher(namespace: namespace, logger: logger)
        self.subscription = Task {
            await subscriber.subscribe(pattern: channels.broadcastPattern)
            await subscriber.subscribe(channels.request)
            await subscriber.subscribe(channels.response)
            await subscriber.subscribe(channels.response(forNode: nodeID))
        }
    }

    /// Messages published, received from other nodes, and publications that failed.
    var counts: RedisAdapterCounters { self.broadcasts.counts }

    /// How this node's sockets are reached, to answer other nodes' requests.
    var localDelivery: SocketIOLocalDelivery? { self.delivery.withLock { $0 } }

    /// Returns once this namespace's channels are subscribed (at once when the subscriber is not
    /// connected yet: it subscribes to them when it connects): answers to a request come on the
    /// response channels, so a request published before would lose them (the first request of
    /// a namespace made a moment ago).
    func channelsSubscribed() async {
        await self.subscription.value
    }

    func attach(_ delivery: SocketIOLocalDelivery) {
        self.delivery.withLock { $0 = delivery }
        self.local.attach(delivery)
    }

    func join(_ socketID: String, rooms: Set<String>) { self.local.join(socketID, rooms: rooms) }
    func leave(_ socketID: String, room: String) { self.local.leave(socketID, room: room) }
    func leaveAll(_ socketID: String) { self.local.leaveAll(socketID) }

    /// Delivers here (encoded once for every local socket), then publishes each packet as a
    /// Node broadcast message, on the room's channel when it selects one room.
    @discardableResult
    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool {
        self.local.broadcastLocally(SocketIOEncodedPacket(combining: packets.map { $0.encoded() }), options: options)
        guard !options.localOnly else { return true }
        let channel = self.channels.broadcast(for: options.rooms)
        return await self.broadcasts.publish(packets) { packet in
            try await self.publish(RedisBroadcastMessage(senderID: self.nodeID, packet: packet, options: options).encoded(), on: channel)
        }
    }

    /// A message from one of the namespace's broadcast channels: delivered to this node's
    /// sockets unless this node sent it.
    func receiveBroadcast(_ payload: ByteBuffer) {
        guard let message = RedisBroadcastMessage(decoding: payload) else {
            self.logger.debug("Ignoring a message that is not a broadcast", metadata: ["namespace": .string(self.namespace)])
            return
        }
        guard message.senderID != self.nodeID, message.packet.namespace == self.namespace else { return }
        self.broadcasts.received()
        self.local.broadcastLocally(message.packet.encoded(), options: message.options)
    }

    /// A message from a response channel: handed to the request of this node that awaits it.
    func receiveResponse(_ payload: ByteBuffer) {
        guard let response = RedisAdapterMessage.decode(payload), let requestID = response["requestId"]?.stringValue else {
            self.logger.debug("Ignoring a malformed response", metadata: ["namespace": .string(self.namespace)])
            return
        }
        self.pending.deliver(response, to: requestID)
    }

    func publish(_ message: ByteBuffer, on channel: String) async throws {
        _ = try await self.publisher.send(RESPCommand([ByteBuffer(string: "PUBLISH"), ByteBuffer(string: channel), message]))
    }

    func publish(_ message: MessagePackValue, on channel: String) async throws {
        try await self.publish(message.encoded(), on: channel)
    }
}
