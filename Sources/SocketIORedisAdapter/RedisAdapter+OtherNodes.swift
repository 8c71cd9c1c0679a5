import EngineIO
import Logging
import MessagePack
import OrderedCollections
import Redis
import SocketIO

/// The other nodes' part of the server-side utilities: requests on the namespace's request
/// channel, as Node's adapter sends them, and their answers gathered until each node has
/// answered or the timeout passes.
extension RedisAdapter {
    /// The nodes subscribed to the namespace's request channel (Node's and Swift's; an emitter
    /// subscribes to nothing). One, this node, when Redis cannot say.
    func serverCount() async -> Int {
        (try? await self.countNodes()) ?? 1
    }

    private func countNodes() async throws -> Int {
        await self.channelsSubscribed()
        let reply = try await self.publisher.send(RESPCommand("PUBSUB", "NUMSUB", self.channels.request))
        guard let parts = reply.array, parts.count == 2, let count = parts[1].integer ?? parts[1].string.flatMap(Int.init) else {
            throw RedisError.protocolViolation("PUBSUB NUMSUB answered \(reply)")
        }
        return count
    }

    func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot] {
        guard !options.localOnly else { return [] }
        let answers = try await self.askEveryOtherNode("fetchSockets", .remoteFetch, ["opts": Self.selectionValue(options)], timeout: timeout)
        return answers.flatMap { answer in (answer["sockets"]?.arrayValue ?? []).compactMap(SocketIOSocketSnapshot.init(wireValue:)) }
    }

    func roomsOnOtherNodes(timeout: Duration) async throws -> Set<String> {
        let answers = try await self.askEveryOtherNode("allRooms", .allRooms, [:], timeout: timeout)
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
        guard let others = await self.otherNodeCount(for: "serverSideEmitWithAck") else { return SocketIOAckResults(missing: 1) }
        guard others > 0 else { return SocketIOAckResults() }
        let requestID = RandomIDGenerator().next()
        let request = self.request(.serverSideEmit, requestID: requestID, ["data": data])
        do {
            let (answers, _) = try await self.pending.gather(
                requestID, into: [SocketIOValue](), timeout: timeout,
                publish: { try await self.publish(request, on: self.channels.request) },
                add: { answers, response in answers.append(response["data"].map(SocketIOValue.init) ?? .null) },
                isComplete: { $0.count >= others }
            )
            return SocketIOAckResults(responses: answers, missing: max(0, others - answers.count))
        } catch {
            self.logger.warning("Server-side event not published", metadata: ["namespace": .string(self.namespace), "error": "\(error)"])
            return SocketIOAckResults(missing: others)
        }
    }

    /// Each other node first says how many sockets it asked, then relays their answers
    /// (`BroadcastAckTally`).
    func broadcastWithAckToOtherNodes(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        guard !options.localOnly else { return SocketIOAckResults() }
        guard let others = await self.otherNodeCount(for: "emitWithAck") else { return SocketIOAckResults(missing: 1) }
        guard others > 0 else { return SocketIOAckResults() }
        let requestID = RandomIDGenerator().next()
        var selection = Self.selectionValue(options)
        if case .map(var members) = selection {
            members["flags"] = .map(["timeout": .int(timeout.wholeMilliseconds)])
            selection = .map(members)
        }
        let packet = SocketIOPacket.event(event, arguments, namespace: self.namespace).wireValue
        let request = self.request(.broadcast, requestID: requestID, ["packet": packet, "opts": selection])
        do {
            let (tally, _) = try await self.pending.gather(
                requestID, into: BroadcastAckTally(), timeout: timeout,
                publish: { try await self.publish(request, on: self.channels.request) },
                add: { tally, response in
                    switch RedisAdapterMessage.requestType(of: response) {
                    case .broadcastClientCount: tally.counted(response["clientCount"]?.intValue ?? 0)
                    case .broadcastAck: tally.answered(response["packet"].map(SocketIOValue.init) ?? .null)
                    default: break
                    }
                },
                isComplete: { $0.isComplete(nodes: others) }
            )
            return tally.results(nodes: others)
        } catch {
            self.logger.warning("Broadcast with acknowledgements not published", metadata: ["namespace": .string(self.namespace), "error": "\(error)"])
            return SocketIOAckResults(missing: others)
        }
    }

    // MARK: Requests

    /// The other nodes, for a request whose failure is reported in its results rather than
    /// thrown; nil (logged) when Redis cannot count them, so that nothing is sent.
    private func otherNodeCount(for operation: String) async -> Int? {
        do {
            return try await self.countNodes() - 1
        } catch {
            self.logger.warning("Request not sent to other nodes: they could not be counted", metadata: ["namespace": .string(self.namespace), "operation": .string(operation), "error": "\(error)"])
            return nil
        }
    }

    /// Asks every other node and waits for each one's answer.
    /// - Throws: `RedisAdapterError` when Redis is unreachable or a node does not answer in time.
    private func askEveryOtherNode(_ operation: String, _ type: RedisAdapterRequestType, _ members: OrderedDictionary<String, MessagePackValue>, timeout: Duration) async throws(RedisAdapterError) -> [MessagePackValue] {
        let others: Int
        do {
            others = try await self.countNodes() - 1
        } catch {
            throw RedisAdapterError(operation: operation, namespace: self.namespace, reason: .redisUnreachable("\(error)"))
        }
        guard others > 0 else { return [] }
        let requestID = RandomIDGenerator().next()
        let request = self.request(type, requestID: requestID, members)
        let answers: [MessagePackValue]
        let completed: Bool
        do {
            (answers, completed) = try await self.pending.gather(
                requestID, into: [MessagePackValue](), timeout: timeout,
                publish: { try await self.publish(request, on: self.channels.request) },
                add: { $0.append($1) },
                isComplete: { $0.count >= others }
            )
        } catch {
            throw RedisAdapterError(operation: operation, namespace: self.namespace, reason: .redisUnreachable("\(error)"))
        }
        guard completed else {
            throw RedisAdapterError(operation: operation, namespace: self.namespace, reason: .timedOut(answered: answers.count, expected: others))
        }
        return answers
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
