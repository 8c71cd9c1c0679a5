import EngineIO
import Logging
import MessagePack
import NIOCore
import OrderedCollections
import Redis
import SocketIO
import Synchronization

/// A Socket.IO adapter on Redis 7's sharded pub/sub, speaking the protocol of Node's
/// `createShardedAdapter` (`@socket.io/redis-adapter` 8): socket.io-adapter's cluster messages
/// on shard channels, so Node and Swift nodes with the same prefix and subscription mode form one
/// cluster.
///
/// Rooms stay local to each node. In the dynamic modes the node subscribes to a room's channel
/// while it has a socket in the room, so a broadcast to one room reaches only the nodes that
/// serve it.
final class ShardedRedisAdapter: LocalRooms {
    let namespace: String
    let nodeID: String
    let channels: ShardedRedisChannels
    let mode: ShardedSubscriptionMode
    let publisher: any RedisCommandExecutor
    let logger: Logger
    let local = InMemoryAdapter()
    let pending = RedisPendingRequests()
    let roomSubscriptions: ShardedRoomSubscriptions
    private let delivery = Mutex<SocketIOLocalDelivery?>(nil)
    private let broadcasts: BroadcastPublisher

    init(
        namespace: String,
        nodeID: String,
        channels: ShardedRedisChannels,
        mode: ShardedSubscriptionMode,
        publisher: any RedisCommandExecutor,
        subscriber: RedisSubscriber,
        logger: Logger
    ) {
        self.namespace = namespace
        self.nodeID = nodeID
        self.channels = channels
        self.mode = mode
        self.publisher = publisher
        self.logger = logger
        self.broadcasts = BroadcastPublisher(namespace: namespace, logger: logger)
        self.roomSubscriptions = ShardedRoomSubscriptions(channels: channels, nodeID: nodeID, mode: mode, subscriber: subscriber)
    }

    var counts: RedisAdapterCounters { self.broadcasts.counts }
    var localDelivery: SocketIOLocalDelivery? { self.delivery.withLock { $0 } }

    func attach(_ delivery: SocketIOLocalDelivery) {
        self.delivery.withLock { $0 = delivery }
        self.local.attach(delivery)
    }

    // MARK: Membership, with the room channels it implies

    func join(_ socketID: String, rooms: Set<String>) {
        self.roomSubscriptions.update(socketID) {
            let before = self.local.rooms(of: socketID)
            self.local.join(socketID, rooms: rooms)
            return (rooms.subtracting(before), [])
        }
    }

    func leave(_ socketID: String, room: String) {
        self.roomSubscriptions.update(socketID) {
            let wasIn = self.local.rooms(of: socketID).contains(room)
            self.local.leave(socketID, room: room)
            return ([], wasIn ? [room] : [])
        }
    }

    func leaveAll(_ socketID: String) {
        self.roomSubscriptions.update(socketID) {
            let before = self.local.rooms(of: socketID)
            self.local.leaveAll(socketID)
            return ([], before)
        }
    }

    // MARK: Broadcasts

    /// Delivers here (encoded once for every local socket), then publishes each packet as a
    /// cluster BROADCAST, on the room's channel when the mode gives it one.
    @discardableResult
    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool {
        self.local.broadcastLocally(SocketIOEncodedPacket(combining: packets.map { $0.encoded() }), options: options)
        guard !options.localOnly else { return true }
        let channel = self.channels.broadcast(to: options.rooms, mode: self.mode, withAck: false)
        return await self.broadcasts.publish(packets) { packet in
            try await self.publish(self.message(.broadcast, ["packet": packet.wireValue, "opts": options.wireValue]), on: channel)
        }
    }

    /// A message from one of this namespace's channels (`responses` when it came on this node's
    /// response channel).
    func receive(_ payload: ByteBuffer, onResponseChannel: Bool) {
        guard let message = ClusterMessage(decoding: payload) else {
            self.logger.debug("Ignoring a message that is not a cluster message", metadata: ["namespace": .string(self.namespace)])
            return
        }
        guard message.senderID != self.nodeID, message.namespace == self.namespace else { return }
        if onResponseChannel || message.type.isResponse {
            guard let requestID = message.requestID else { return }
            self.pending.deliver(.map(message.data.merging(["type": .int(message.type.rawValue)]) { _, new in new }), to: requestID)
            return
        }
        if message.type == .broadcast, message.requestID == nil {
            guard let packet = message.data["packet"].flatMap(SocketIOPacket.init(wireValue:)) else { return }
            self.broadcasts.received()
            self.local.broadcastLocally(packet.encoded(), options: message.selection)
            return
        }
        guard let delivery = self.localDelivery else { return }
        switch message.type {
        case .socketsJoin, .socketsLeave, .disconnectSockets:
            // At once, in the order they came, as Node's: a join and the broadcast after it, or a
            // join and a leave, must not swap places.
            self.changeSockets(message, delivery: delivery)
        default:
            Task { await self.answer(message, delivery: delivery) }
        }
    }

    func message(_ type: ClusterMessageType, _ data: OrderedDictionary<String, MessagePackValue> = [:]) -> ClusterMessage {
        ClusterMessage(senderID: self.nodeID, namespace: self.namespace, type: type, data: data)
    }

    func publish(_ message: ClusterMessage, on channel: String) async throws {
        _ = try await self.publisher.send(RESPCommand([ByteBuffer(string: "SPUBLISH"), ByteBuffer(string: channel), message.encoded()]))
    }
}
