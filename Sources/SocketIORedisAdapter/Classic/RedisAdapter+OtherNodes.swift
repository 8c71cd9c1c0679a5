import EngineIO
import Logging
import MessagePack
import OrderedCollections
import Redis
import SocketIO

/// The other nodes' part of the server-side utilities: requests on the namespace's request
/// channel, as Node's adapter sends them, and their answers gathered until each node has
/// answered or the timeout passes (`OtherNodesRequests`).
extension RedisAdapter {
    /// The nodes subscribed to the namespace's request channel (Node's and Swift's; an emitter
    /// subscribes to nothing). One, this node, when Redis cannot say.
    func serverCount() async -> Int {
        (try? await self.countNodes()) ?? 1
    }

    private func countNodes() async throws -> Int {
        await self.channelsSubscribed()
        return try await self.publisher.subscriberCount("NUMSUB", of: self.channels.request)
    }

    private var requests: OtherNodesRequests {
        OtherNodesRequests(namespace: self.namespace, pending: self.pending, logger: self.logger, countNodes: { try await self.countNodes() })
    }

    func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot] {
        guard !options.localOnly else { return [] }
        let answers = try await self.requests.everyAnswer("fetchSockets", timeout: timeout) { requestID in
            try await self.ask(.remoteFetch, requestID: requestID, ["opts": Self.selectionValue(options)])
        }
        return answers.flatMap { answer in (answer["sockets"]?.arrayValue ?? []).compactMap(SocketIOSocketSnapshot.init(wireValue:)) }
    }

    func roomsOnOtherNodes(timeout: Duration) async throws -> Set<String> {
        let answers = try await self.requests.everyAnswer("allRooms", timeout: timeout) { requestID in
            try await self.ask(.allRooms, requestID: requestID, [:])
        }
        return Set(answers.flatMap { ($0["rooms"]?.arrayValue ?? []).compactMap(\.stringValue) })
    }

    func addSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        guard !options.localOnly else { return }
        await self.tellOtherNodes(.remoteJoin, ["opts": Self.selectionValue(options), "rooms": .array(rooms.sorted().map(MessagePackValue.string))])
    }

    func removeSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        guard !options.localOnly else { return }
        await self.tellOtherNodes(.remoteLeave, ["opts": Self.selectionValue(options), "rooms": .array(rooms.sorted().map(MessagePackValue.string))])
    }

    func disconnectSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, close: Bool) async {
        guard !options.localOnly else { return }
        await self.tellOtherNodes(.remoteDisconnect, ["opts": Self.selectionValue(options), "close": .bool(close)])
    }

    /// Without a timeout, sent and forgotten; with one, each other node's first `ack` argument
    /// is collected, and the nodes silent by then are `missing`.
    func serverSideEmitToOtherNodes(_ event: String, _ arguments: [SocketIOValue], timeout: Duration?) async -> SocketIOAckResults {
        let data = MessagePackValue.array([.string(event)] + arguments.map(MessagePackValue.init))
        guard let timeout else {
            await self.tellOtherNodes(.serverSideEmit, ["data": data])
            return SocketIOAckResults()
        }
        return await self.requests.acknowledgements(timeout: timeout) { requestID in
            try await self.ask(.serverSideEmit, requestID: requestID, ["data": data])
        } acknowledgement: { response in
            response["data"].map(SocketIOValue.init) ?? .null
        }
    }

    /// Each other node first says how many sockets it asked, then relays their answers
    /// (`BroadcastAckTally`).
    func broadcastWithAckToOtherNodes(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        guard !options.localOnly else { return SocketIOAckResults() }
        var selection = Self.selectionValue(options)
        if case .map(var members) = selection {
            members["flags"] = .map(["timeout": .int(timeout.wholeMilliseconds)])
            selection = .map(members)
        }
        let packet = SocketIOPacket.event(event, arguments, namespace: self.namespace).wireValue
        return await self.requests.broadcastAcknowledgements(timeout: timeout) { requestID in
            try await self.ask(.broadcast, requestID: requestID, ["packet": packet, "opts": selection])
        } read: { response in
            switch RedisAdapterMessage.requestType(of: response) {
            case .broadcastClientCount: .clientCount(response["clientCount"]?.intValue ?? 0)
            case .broadcastAck: .acknowledgement(response["packet"].map(SocketIOValue.init) ?? .null)
            default: nil
            }
        }
    }

    // MARK: Requests

    /// Publishes a request that waits for answers.
    private func ask(_ type: RedisAdapterRequestType, requestID: String, _ members: OrderedDictionary<String, MessagePackValue>) async throws {
        try await self.publish(self.request(type, requestID: requestID, members), on: self.channels.request)
    }

    /// Publishes a request that expects no answer.
    private func tellOtherNodes(_ type: RedisAdapterRequestType, _ members: OrderedDictionary<String, MessagePackValue>) async {
        do {
            try await self.publish(self.request(type, requestID: nil, members), on: self.channels.request)
        } catch {
            self.logger.warning("Request to other nodes not published", metadata: ["namespace": .string(self.namespace), "type": "\(type)", "error": "\(error)"])
        }
    }

    /// `{uid, requestId, type, …}`, as Node's requests start.
    private func request(_ type: RedisAdapterRequestType, requestID: String?, _ members: OrderedDictionary<String, MessagePackValue>) -> MessagePackValue {
        var request: OrderedDictionary<String, MessagePackValue> = ["uid": .string(self.nodeID)]
        if let requestID { request["requestId"] = .string(requestID) }
        request["type"] = .int(type.rawValue)
        request.merge(members) { _, new in new }
        return .map(request)
    }

    /// `{rooms, except}` of a request's `opts`.
    private static func selectionValue(_ options: SocketIOBroadcastOptions) -> MessagePackValue {
        .map([
            "rooms": .array(options.rooms.sorted().map(MessagePackValue.string)),
            "except": .array(options.exceptRooms.sorted().map(MessagePackValue.string)),
        ])
    }
}
