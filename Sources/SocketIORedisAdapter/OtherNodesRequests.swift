import EngineIO
import Logging
import MessagePack
import Redis
import SocketIO

/// How both Redis protocols ask the other nodes something: count them, publish a request with a
/// fresh id, and gather the answers routed to that id until each node has answered or the
/// timeout passes. The protocols differ only in how they count nodes and write requests.
struct OtherNodesRequests: Sendable {
    let namespace: String
    let pending: RedisPendingRequests
    let logger: Logger
    /// The nodes serving the namespace, this one included.
    let countNodes: @Sendable () async throws -> Int

    /// What one answer to a broadcast with acknowledgements says.
    enum BroadcastAnswer {
        case clientCount(Int)
        case acknowledgement(SocketIOValue)
    }

    /// Every other node's answer (`publish` sends the request with the id it is given).
    /// - Throws: `RedisAdapterError` when Redis is unreachable or a node does not answer in
    ///   time: a partial answer would look complete.
    func everyAnswer(_ operation: String, timeout: Duration, publish: (String) async throws -> Void) async throws(RedisAdapterError) -> [MessagePackValue] {
        let others: Int
        do {
            others = try await self.countNodes() - 1
        } catch {
            throw RedisAdapterError(operation: operation, namespace: self.namespace, reason: .redisUnreachable("\(error)"))
        }
        guard others > 0 else { return [] }
        let requestID = RandomIDGenerator().next()
        let answers: [MessagePackValue]
        let completed: Bool
        do {
            (answers, completed) = try await self.pending.gather(
                requestID, into: [MessagePackValue](), timeout: timeout,
                publish: { try await publish(requestID) },
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

    /// Each other node's acknowledgement of a server-side event (`acknowledgement` reads it from
    /// an answer); the nodes silent at `timeout` are `missing`.
    func acknowledgements(timeout: Duration, publish: (String) async throws -> Void, acknowledgement: (MessagePackValue) -> SocketIOValue) async -> SocketIOAckResults {
        guard let others = await self.otherNodeCount(for: "serverSideEmitWithAck") else { return SocketIOAckResults(missing: 1) }
        guard others > 0 else { return SocketIOAckResults() }
        let requestID = RandomIDGenerator().next()
        do {
            let (answers, _) = try await self.pending.gather(
                requestID, into: [SocketIOValue](), timeout: timeout,
                publish: { try await publish(requestID) },
                add: { answers, response in answers.append(acknowledgement(response)) },
                isComplete: { $0.count >= others }
            )
            return SocketIOAckResults(responses: answers, missing: max(0, others - answers.count))
        } catch {
            self.logger.warning("Server-side event not published", metadata: ["namespace": .string(self.namespace), "error": "\(error)"])
            return SocketIOAckResults(missing: others)
        }
    }

    /// The other nodes' clients' acknowledgements of a broadcast (`BroadcastAckTally`); `read`
    /// tells what an answer says, nil for what it does not understand.
    func broadcastAcknowledgements(timeout: Duration, publish: (String) async throws -> Void, read: (MessagePackValue) -> BroadcastAnswer?) async -> SocketIOAckResults {
        guard let others = await self.otherNodeCount(for: "emitWithAck") else { return SocketIOAckResults(missing: 1) }
        guard others > 0 else { return SocketIOAckResults() }
        let requestID = RandomIDGenerator().next()
        do {
            let (tally, _) = try await self.pending.gather(
                requestID, into: BroadcastAckTally(), timeout: timeout,
                publish: { try await publish(requestID) },
                add: { tally, response in
                    switch read(response) {
                    case .clientCount(let count)?: tally.counted(count)
                    case .acknowledgement(let answer)?: tally.answered(answer)
                    case nil: break
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
}

extension RedisCommandExecutor {
    /// The subscribers of `channel` as `PUBSUB <subcommand>` counts them (`NUMSUB` for channels,
    /// `SHARDNUMSUB` for shard channels): the nodes listening to a namespace.
    func subscriberCount(_ subcommand: String, of channel: String) async throws -> Int {
        let reply = try await self.send(RESPCommand("PUBSUB", subcommand, channel))
        guard let parts = reply.array, parts.count == 2, let count = parts[1].integer ?? parts[1].string.flatMap(Int.init) else {
            throw RedisError.protocolViolation("PUBSUB \(subcommand) answered \(reply)")
        }
        return count
    }
}
