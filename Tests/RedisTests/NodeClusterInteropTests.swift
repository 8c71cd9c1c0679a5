import Foundation
import NIOCore
import OrderedCollections
import Testing

@testable import Redis
@testable import SocketIO
import SocketIOTesting
@testable import SocketIORedisAdapter

/// One real Node socket.io 4.8 node on the real `@socket.io/redis-adapter` 8 and two Swift nodes
/// on one real redis-server: every cluster operation issued from each side acts on the other's
/// sockets, and the real `@socket.io/redis-emitter` reaches the Swift nodes. The Node node's
/// clients are the official socket.io-client (held by the Node process); the Swift nodes' are
/// in-process test clients.
@Suite(
    "Mixed Node and Swift cluster",
    // One cluster at a time: each case starts a Node process and a redis-server, and two dozen at
    // once on a small machine starve the timing of every other suite running beside them.
    .serialized,
    .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"),
    .enabled(if: NodeClusterProcess.isAvailable, "needs the Node cluster node: scripts/test builds it (scripts/build-node-cluster) and sets NODE_CLUSTER_NODE_PATH")
)
struct NodeClusterInteropTests {
    private struct Cluster {
        let redis: RedisServerProcess
        let node: NodeClusterProcess
        let a: SwiftClusterNode
        let b: SwiftClusterNode

        /// Waits (bounded) until every node counts three, then lets the subscriptions land.
        func settle() async throws {
            for _ in 0..<200 {
                let counted = await self.a.io.main.serverCount()
                let countedByNode = try await self.node.control("serverCount").intValue
                if counted == 3, countedByNode == 3 { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            try await Task.sleep(for: .milliseconds(200))
        }

        /// An official client connected to the Node node, in `room`.
        func nodeClient(room: String, answer: SocketIOValue? = nil) async throws -> NodeClient {
            var arguments: OrderedDictionary<String, SocketIOValue> = ["auth": ["room": .string(room)]]
            if let answer { arguments["answer"] = answer }
            let connected = try await self.node.control("connect", arguments)
            return NodeClient(node: self.node, index: connected["client"]!, id: connected["id"]!.stringValue!)
        }
    }

    /// An official socket.io-client held by the Node process.
    private struct NodeClient {
        let node: NodeClusterProcess
        let index: SocketIOValue
        let id: String

        /// The arguments of the first `event` it received, waiting (bounded) for it.
        func arguments(of event: String, within limit: Duration = .seconds(3)) async throws -> [SocketIOValue]? {
            let deadline = ContinuousClock.now + limit
            repeat {
                if let found = try await self.received().first(where: { $0.event == event }) { return found.arguments }
                try await Task.sleep(for: .milliseconds(25))
            } while ContinuousClock.now < deadline
            return nil
        }

        func received() async throws -> [(event: String, arguments: [SocketIOValue])] {
            let state = try await self.node.control("events", ["client": self.index])
            return (state["events"]?.arrayValue ?? []).map { ($0["event"]?.stringValue ?? "", $0["args"]?.arrayValue ?? []) }
        }

        func disconnectReason() async throws -> String? {
            for _ in 0..<120 {
                if let reason = try await self.node.control("events", ["client": self.index])["disconnect"]?.stringValue { return reason }
                try await Task.sleep(for: .milliseconds(25))
            }
            return nil
        }
    }

    private func withCluster(_ clusterProtocol: ClusterProtocol, _ body: (Cluster) async throws -> Void) async throws {
        let redis = try RedisServerProcess()
        try await redis.start()
        defer { redis.stop() }
        let configuration = try RedisConfiguration(url: redis.url)
        let node = try NodeClusterProcess(name: "N", redisURL: redis.url, subscriptionMode: clusterProtocol.nodeSubscriptionMode)
        try await node.start()
        defer { node.stop() }
        let a = SwiftClusterNode(redis: configuration, name: "A", protocol: clusterProtocol)
        let b = SwiftClusterNode(redis: configuration, name: "B", protocol: clusterProtocol)
        defer { a.stop(); b.stop() }
        let cluster = Cluster(redis: redis, node: node, a: a, b: b)
        try await cluster.settle()
        try await body(cluster)
    }

    private static let payload: SocketIOValue = ["bookingId": "1", "amount": 125_000]
    private static let attachment = SocketIOValue.binary(ByteBuffer(bytes: [0, 1, 2, 254, 255]))

    @Test("A Node node's broadcasts reach Swift clients: rooms, except, binary attachments", arguments: ClusterProtocol.allCases)
    func broadcastFromNode(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withCluster(clusterProtocol) { cluster in
            let onA = try await cluster.a.connect(room: "booking_1")
            let onB = try await cluster.b.connect(room: "booking_1")
            let excluded = try await cluster.b.connect(room: "booking_1")
            let elsewhere = try await cluster.a.connect(room: "booking_2")
            try await cluster.node.control("emit", [
                "rooms": ["booking_1"], "except": [.string(excluded.id)], "event": "transaction_success", "args": [Self.payload, Self.attachment],
            ])
            #expect(try await onA.nextEvent(named: "transaction_success").arguments == [Self.payload, Self.attachment])
            #expect(try await onB.nextEvent(named: "transaction_success").arguments == [Self.payload, Self.attachment])
            for silent in [excluded, elsewhere] {
                await #expect(throws: SocketIOTestError.self) { try await silent.nextEvent(named: "transaction_success", within: .milliseconds(300)) }
            }
            // To every socket of the namespace.
            try await cluster.node.control("emit", ["event": "maintenance", "args": ["soon"]])
            #expect(try await elsewhere.nextEvent(named: "maintenance").arguments == ["soon"])
        }
    }

    @Test("A Swift node's broadcasts reach the official client on the Node node: rooms, except, binary attachments", arguments: ClusterProtocol.allCases)
    func broadcastFromSwift(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withCluster(clusterProtocol) { cluster in
            let reached = try await cluster.nodeClient(room: "booking_1")
            let excluded = try await cluster.nodeClient(room: "booking_1")
            let elsewhere = try await cluster.nodeClient(room: "booking_2")
            _ = await cluster.a.io.main.to("booking_1").except(excluded.id).emit("payment_confirmed", Self.payload, Self.attachment)
            #expect(try await reached.arguments(of: "payment_confirmed") == [Self.payload, Self.attachment])
            // Both events of a payment, sent together, arrive in order.
            _ = await cluster.b.io.main.to("booking_2").emit(together: [("transaction_success", [Self.payload]), ("payment_confirmed", [Self.payload])])
            _ = try await elsewhere.arguments(of: "payment_confirmed")
            #expect(try await elsewhere.received().map(\.event) == ["transaction_success", "payment_confirmed"])
            #expect(try await excluded.received().isEmpty)
        }
    }

    @Test("Issued from the Node node: fetchSockets, allRooms, serverSideEmit with acks, socketsJoin, remote emit, broadcast acks, disconnectSockets act on Swift sockets", arguments: ClusterProtocol.allCases)
    func operationsFromNode(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withCluster(clusterProtocol) { cluster in
            let onA = try await cluster.a.connect(room: "q")
            let onB = try await cluster.b.connect(room: "q")
            let found = try #require(try await cluster.node.control("fetchSockets", ["rooms": ["q"]]).arrayValue)
            #expect(Set(found.compactMap { $0["id"]?.stringValue }) == [onA.id, onB.id])
            #expect(Set(found.compactMap { $0["data"]?["node"]?.stringValue }) == ["A", "B"])
            #expect(found.allSatisfy { $0["auth"] == ["room": "q"] && $0["rooms"]?.arrayValue?.contains("q") == true })

            if clusterProtocol == .classic {  // (Node's sharded adapter has no cluster-wide allRooms)
                let rooms = try #require(try await cluster.node.control("allRooms").arrayValue)
                #expect(Set(rooms.compactMap(\.stringValue)).isSuperset(of: ["q", onA.id, onB.id]))
            }

            let names = try #require(try await cluster.node.control("serverSideEmitWithAck", ["event": "node_name"]).arrayValue)
            #expect(Set(names.compactMap(\.stringValue)) == ["A", "B"])

            // A join and the broadcast right after it, applied in the order they were sent. (Not
            // in the sharded adapter's dynamic modes: there a room's channel is subscribed once its
            // first socket joins, and a broadcast right behind the join can beat the subscription,
            // as it can between Node nodes.)
            if clusterProtocol == .classic || clusterProtocol == .sharded(.static) {
                try await cluster.node.control("socketsJoinThenEmit", ["rooms": ["q"], "room": "first", "event": "welcome"])
                #expect(try await onA.nextEvent(named: "welcome").arguments == [])
                #expect(try await onB.nextEvent(named: "welcome").arguments == [])
            }

            try await cluster.node.control("socketsJoin", ["rooms": ["q"], "room": "vip"])
            try await eventually { try await cluster.a.io.main.to("vip").fetchSockets().count == 2 }
            try await cluster.node.control("socketsLeave", ["rooms": ["q"], "room": "vip"])
            try await eventually { try await cluster.a.io.main.to("vip").fetchSockets().isEmpty }

            try await cluster.node.control("remoteEmit", ["rooms": ["q"], "event": "hello", "args": ["from N", Self.attachment]])
            #expect(try await onA.nextEvent(named: "hello").arguments == ["from N", Self.attachment])
            #expect(try await onB.nextEvent(named: "hello").arguments == ["from N", Self.attachment])

            let asked = Task { try await cluster.node.control("broadcastWithAck", ["rooms": ["q"], "event": "question"]) }
            try await onA.nextEvent(named: "question").ack?("yes from A")
            try await onB.nextEvent(named: "question").ack?("yes from B")
            let answers = try #require(try await asked.value.arrayValue)
            #expect(Set(answers.compactMap(\.stringValue)) == ["yes from A", "yes from B"])

            try await cluster.node.control("disconnectSockets", ["rooms": ["q"]])
            #expect(try await onA.disconnected() == .ioServerDisconnect)
            #expect(try await onB.disconnected() == .ioServerDisconnect)
        }
    }

    @Test("Issued from a Swift node: fetchSockets, remote emit, allRooms, serverSideEmit, socketsJoin/Leave, broadcast acks, disconnectSockets act on the Node node's sockets", arguments: ClusterProtocol.allCases)
    func operationsFromSwift(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withCluster(clusterProtocol) { cluster in
            let client = try await cluster.nodeClient(room: "q", answer: "yes from N")
            let onB = try await cluster.b.connect(room: "q")

            let found = try await cluster.a.io.main.to("q").fetchSockets()
            let remote = try #require(found.first { $0.id == client.id })
            #expect(Set(found.map(\.id)) == [client.id, onB.id])
            #expect(remote.data == ["node": "N"])
            #expect(remote.handshake.auth == ["room": "q"])
            #expect(remote.rooms == [client.id, "q"])
            await remote.emit("hello", "from A", Self.attachment)
            #expect(try await client.arguments(of: "hello") == ["from A", Self.attachment])

            switch clusterProtocol {
            case .classic: #expect(try await cluster.a.io.main.allRooms().isSuperset(of: ["q", client.id, onB.id]))
            case .sharded: await #expect(throws: RedisAdapterError.self) { try await cluster.a.io.main.allRooms() }
            }
            #expect(Set(try await cluster.a.io.main.serverSideEmitWithAck("node_name")) == ["B", "N"])
            await cluster.a.io.main.serverSideEmit("announce", "payment 1", Self.attachment)
            try await eventually { try await cluster.node.control("received") == [["payment 1", Self.attachment]] }

            await cluster.a.io.main.in("q").socketsJoin("vip")
            try await eventually { try await cluster.node.control("localRooms", ["id": .string(client.id)]).arrayValue?.contains("vip") == true }
            await cluster.a.io.main.in("q").socketsLeave("vip")
            try await eventually { try await cluster.node.control("localRooms", ["id": .string(client.id)]).arrayValue?.contains("vip") == false }

            let asked = Task { try await cluster.a.io.main.to("q").emitWithAck("question") }
            try await onB.nextEvent(named: "question").ack?("yes from B")
            #expect(Set(try await asked.value) == ["yes from N", "yes from B"])

            await cluster.a.io.main.in("q").disconnectSockets()
            #expect(try await client.disconnectReason() == "io server disconnect")
            #expect(try await onB.disconnected() == .ioServerDisconnect)
        }
    }

    @Test("The real @socket.io/redis-emitter reaches Swift sockets: rooms, except, namespaces, socketsJoin/Leave, disconnectSockets, serverSideEmit")
    func nodeEmitter() async throws {
        // The emitter publishes the classic adapter's messages only.
        try await self.withCluster(.classic) { cluster in
            let (announcements, announced) = AsyncStream.makeStream(of: [SocketIOValue].self)
            cluster.b.io.main.onServerSideEmit("announce") { event in announced.yield(event.arguments) }
            let orders = cluster.a.io.of("/orders")
            orders.onConnection { socket in socket.join("desk") }
            let onA = try await cluster.a.connect(room: "booking_1")
            let onB = try await cluster.b.connect(room: "booking_1")
            let other = try await cluster.b.connect(room: "booking_2")
            let desk = try await SocketIOTestClient.connect(to: cluster.a.io, namespace: "/orders")
            try await Task.sleep(for: .milliseconds(200))  // the new namespace's channels

            try await cluster.node.control("emitter", [
                "action": "emit", "rooms": ["booking_1"], "except": [.string(onB.id)], "event": "payment_confirmed", "args": [Self.payload, Self.attachment],
            ])
            #expect(try await onA.nextEvent(named: "payment_confirmed").arguments == [Self.payload, Self.attachment])
            for silent in [onB, other] {
                await #expect(throws: SocketIOTestError.self) { try await silent.nextEvent(named: "payment_confirmed", within: .milliseconds(300)) }
            }
            try await cluster.node.control("emitter", ["action": "emit", "nsp": "/orders", "rooms": ["desk"], "event": "order", "args": [7]])
            #expect(try await desk.nextEvent(named: "order").arguments == [7])

            try await cluster.node.control("emitter", ["action": "socketsJoin", "rooms": ["booking_2"], "room": "moved"])
            try await eventually { try await cluster.a.io.main.to("moved").fetchSockets().map(\.id) == [other.id] }
            try await cluster.node.control("emitter", ["action": "socketsLeave", "rooms": ["booking_2"], "room": "moved"])
            try await eventually { try await cluster.a.io.main.to("moved").fetchSockets().isEmpty }

            try await cluster.node.control("emitter", ["action": "serverSideEmit", "event": "announce", "args": ["payment 2"]])
            var iterator = announcements.makeAsyncIterator()
            #expect(await iterator.next() == ["payment 2"])

            try await cluster.node.control("emitter", ["action": "disconnectSockets", "except": ["booking_2"]])
            #expect(try await onA.disconnected() == .ioServerDisconnect)
            #expect(try await onB.disconnected() == .ioServerDisconnect)
            #expect(other.isConnected)
        }
    }

    @Test("A Node node that stops answering or dies makes Swift's requests time out; after a Redis restart broadcasts flow both ways again", arguments: ClusterProtocol.allCases)
    func failures(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withCluster(clusterProtocol) { cluster in
            // Stopped: still subscribed, so counted, but silent.
            cluster.node.pause()
            var started = ContinuousClock.now
            await #expect(throws: RedisAdapterError.self) { try await cluster.a.io.main.timeout(.milliseconds(500)).fetchSockets() }
            #expect(ContinuousClock.now - started < .seconds(3))
            do {
                _ = try await cluster.a.io.main.serverSideEmitWithAck("node_name", timeout: .milliseconds(500))
                Issue.record("a silent node must time out")
            } catch let error as SocketIOAckTimeoutError {
                #expect(error.responses == ["B"])
                #expect(error.missing == 1)
            }
            cluster.node.resume()

            // Restarted Redis: both sides reconnect and resubscribe by themselves.
            let onA = try await cluster.a.connect(room: "booking_9")
            let client = try await cluster.nodeClient(room: "booking_9")
            cluster.redis.stop()
            try await cluster.redis.start()
            var reachedSwift = false
            for attempt in 0..<100 where !reachedSwift {
                _ = try? await cluster.node.control("emit", ["rooms": ["booking_9"], "event": "resumed", "args": [.int(attempt)]])
                reachedSwift = (try? await onA.nextEvent(named: "resumed", within: .milliseconds(100))) != nil
            }
            #expect(reachedSwift)
            var reachedNode = false
            for attempt in 0..<100 where !reachedNode {
                _ = await cluster.a.io.main.to("booking_9").emit("resumed", .int(attempt))
                reachedNode = try await client.arguments(of: "resumed", within: .milliseconds(100)) != nil
            }
            #expect(reachedNode)

            // Every node back (B may still be in its reconnect backoff), then killed mid-request:
            // the request ends at its timeout with what the others answered.
            try await eventually(within: .seconds(10)) { await cluster.a.io.main.serverCount() == 3 }
            let asked = Task { try await cluster.a.io.main.serverSideEmitWithAck("node_name", timeout: .seconds(1)) }
            cluster.node.stop()
            started = ContinuousClock.now
            do {
                let names = try await asked.value
                #expect(Set(names).isSubset(of: ["B", "N"]))  // N may have answered before it died
            } catch let error as SocketIOAckTimeoutError {
                #expect(error.responses == ["B"])
            }
            #expect(ContinuousClock.now - started < .seconds(3))
            try await eventually { await cluster.a.io.main.serverCount() == 2 }
        }
    }
}
