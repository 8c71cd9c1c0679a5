import EngineIO
import Logging
import MessagePack
import OrderedCollections
import Redis
import SocketIO

/// The namespace's requests to the other nodes, as socket.io-adapter's `ClusterAdapter` makes
/// them: published on the namespace's channel, answered on this node's response channel.
extension ShardedRedisAdapter {
    /// Nodes subscribed to the namespace's channel (`PUBSUB SHARDNUMSUB`), this one included; 1
    /// when Redis cannot say (this node still serves its own sockets).
    func serverCount() async -> Int {
        (try? await self.countNodes()) ?? 1
    }

    private func countNodes() async throws -> Int {
        await self.roomSubscriptions.namespaceChannelsSubscribed()
        let reply = try await self.publisher.send(RESPCommand("PUBSUB", "SHARDNUMSUB", self.channels.main))
        guard let parts = reply.array, parts.count == 2, let count = parts[1].integer ?? parts[1].string.flatMap(Int.init) else {
            throw RedisError.protocolViolation("PUBSUB SHARDNUMSUB answered \(reply)")
        }
        return count
    }

    func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot] {
        guard !options.localOnly else { return [] }
        let others: Int
        do {
            others = try await self.countNodes() - 1
        } catch {
            throw RedisAdapterError(operation: "fetchSockets", namespace: self.namespace, reason: .redisUnreachable("\(error)"))
        }
        guard others > 0 else { return [] }
        let requestID = RandomIDGenerator().next()
        let request = self.message(.fetchSockets, ["opts": options.wireValue, "requestId": .string(requestID)])
        let answers: [MessagePackValue]
        let completed: Bool
        do {
            (answers, completed) = try await self.pending.gather(
                requestID, into: [MessagePackValue](), timeout: timeout,
                publish: { try await self.publish(request, on: self.channels.main) },
                add: { $0.append($1) },
                isComplete: { $0.count >= others }
            )
        } catch {
            throw RedisAdapterError(operation: "fetchSockets", namespace: self.namespace, reason: .redisUnreachable("\(error)"))
        }
        guard completed else {
            throw RedisAdapterError(operation: "fetchSockets", namespace: self.namespace, reason: .timedOut(answered: answers.count, expected: others))
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
        guard let others = await self.otherNodeCount(for: "serverSideEmitWithAck") else { return SocketIOAckResults(missing: 1) }
        guard others > 0 else { return SocketIOAckResults() }
        let requestID = RandomIDGenerator().next()
        let request = self.message(.serverSideEmit, ["requestId": .string(requestID), "packet": packet])
        do {
            let (answers, _) = try await self.pending.gather(
                requestID, into: [SocketIOValue](), timeout: timeout,
                publish: { try await self.publish(request, on: self.channels.main) },
                add: { answers, response in answers.append(response["packet"].map(SocketIOValue.init) ?? .null) },
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
        var selection = options.wireValue
        if case .map(var members) = selection {
            members["flags"] = .map(["timeout": .int(timeout.wholeMilliseconds)])
            selection = .map(members)
        }
        let packet = SocketIOPacket.event(event, arguments, namespace: self.namespace).wireValue
        let request = self.message(.broadcast, ["packet": packet, "requestId": .string(requestID), "opts": selection])
        do {
            let (tally, _) = try await self.pending.gather(
                requestID, into: BroadcastAckTally(), timeout: timeout,
                publish: { try await self.publish(request, on: self.channels.main) },
                add: { tally, response in
                    switch response["type"]?.intValue.flatMap(ClusterMessageType.init(rawValue:)) {
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

    /// Publishes a message that expects no answer.
    private func tellOtherNodes(_ type: ClusterMessageType, _ data: OrderedDictionary<String, MessagePackValue>) async {
        do {
            try await self.publish(self.message(type, data), on: self.channels.main)
        } catch {
            self.logger.warning("Message to other nodes not published", metadata: ["namespace": .string(self.namespace), "type": "\(type)", "error": "\(error)"])
        }
    }
}
