import EngineIO
import Logging
import MessagePack
import OrderedCollections
import Redis
import SocketIO

/// The namespace's requests to the other nodes, as socket.io-adapter's `ClusterAdapter` makes
/// them: published on the namespace's channel, answered on this node's response channel, and
/// gathered as the classic adapter gathers its own (`OtherNodesRequests`).
extension ShardedRedisAdapter {
    /// Nodes subscribed to the namespace's channel (`PUBSUB SHARDNUMSUB`), this one included; 1
    /// when Redis cannot say (this node still serves its own sockets).
    func serverCount() async -> Int {
        (try? await self.countNodes()) ?? 1
    }

    private func countNodes() async throws -> Int {
        await self.roomSubscriptions.namespaceChannelsSubscribed()
        return try await self.publisher.subscriberCount("SHARDNUMSUB", of: self.channels.main)
    }

    private var requests: OtherNodesRequests {
        OtherNodesRequests(namespace: self.namespace, pending: self.pending, logger: self.logger, countNodes: { try await self.countNodes() })
    }

    func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot] {
        guard !options.localOnly else { return [] }
        let answers = try await self.requests.everyAnswer("fetchSockets", timeout: timeout) { requestID in
            try await self.publish(self.message(.fetchSockets, ["opts": options.wireValue, "requestId": .string(requestID)]), on: self.channels.main)
        }
        return answers.flatMap { ($0["sockets"]?.arrayValue ?? []).compactMap(SocketIOSocketSnapshot.init(wireValue:)) }
    }

    /// The cluster protocol has no request for the other nodes' rooms (Node's sharded adapter
    /// answers `allRooms` with its own rooms only): refused rather than answered in part.
    func roomsOnOtherNodes(timeout: Duration) async throws -> Set<String> {
        throw RedisAdapterError(operation: "allRooms", namespace: self.namespace, reason: .notInProtocol)
    }

    func addSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        guard !options.localOnly else { return }
        await self.tellOtherNodes(.socketsJoin, ["opts": options.wireValue, "rooms": .array(rooms.sorted().map(MessagePackValue.string))])
    }

    func removeSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        guard !options.localOnly else { return }
        await self.tellOtherNodes(.socketsLeave, ["opts": options.wireValue, "rooms": .array(rooms.sorted().map(MessagePackValue.string))])
    }

    func disconnectSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, close: Bool) async {
        guard !options.localOnly else { return }
        await self.tellOtherNodes(.disconnectSockets, ["opts": options.wireValue, "close": .bool(close)])
    }

    /// Without a timeout, sent and forgotten; with one, each other node's first `ack` argument
    /// is collected, and the nodes silent by then are `missing`.
    func serverSideEmitToOtherNodes(_ event: String, _ arguments: [SocketIOValue], timeout: Duration?) async -> SocketIOAckResults {
        let packet = MessagePackValue.array([.string(event)] + arguments.map(MessagePackValue.init))
        guard let timeout else {
            await self.tellOtherNodes(.serverSideEmit, ["packet": packet])
            return SocketIOAckResults()
        }
        return await self.requests.acknowledgements(timeout: timeout) { requestID in
            try await self.publish(self.message(.serverSideEmit, ["requestId": .string(requestID), "packet": packet]), on: self.channels.main)
        } acknowledgement: { response in
            response["packet"].map(SocketIOValue.init) ?? .null
        }
    }

    /// Each other node first says how many sockets it asked, then relays their answers
    /// (`BroadcastAckTally`).
    func broadcastWithAckToOtherNodes(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        guard !options.localOnly else { return SocketIOAckResults() }
        var selection = options.wireValue
        if case .map(var members) = selection, case .map(var flags)? = members["flags"] {
            flags["timeout"] = .int(timeout.wholeMilliseconds)
            members["flags"] = .map(flags)
            selection = .map(members)
        }
        let packet = SocketIOPacket.event(event, arguments, namespace: self.namespace).wireValue
        return await self.requests.broadcastAcknowledgements(timeout: timeout) { requestID in
            try await self.publish(self.message(.broadcast, ["packet": packet, "requestId": .string(requestID), "opts": selection]), on: self.channels.main)
        } read: { response in
            switch response["type"]?.intValue.flatMap(ClusterMessageType.init(rawValue:)) {
            case .broadcastClientCount: .clientCount(response["clientCount"]?.intValue ?? 0)
            case .broadcastAck: .acknowledgement(response["packet"].map(SocketIOValue.init) ?? .null)
            default: nil
            }
        }
    }

    /// Publishes a message that expects no answer.
    private func tellOtherNodes(_ type: ClusterMessageType, _ data: OrderedDictionary<String, MessagePackValue>) async {
        do {
            try await self.publish(self.message(type, data), on: self.channels.main)
        } catch {
            self.logger.warning("Message to other nodes not published", metadata: ["namespace": .string(self.namespace), "type": "\(type)", "error": "\(error)"])
        }
    }
}
