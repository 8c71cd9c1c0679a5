import Foundation
import Logging
import NIOCore
import Testing

import EngineIO

@testable import Redis
@testable import SocketIO
import SocketIOTesting
@testable import SocketIORedisAdapter

/// The cluster-wide server API over Redis, between two Swift nodes on one real redis-server,
/// plus the emitter and a node that dies mid-request.
@Suite("Redis cluster API", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisClusterAPITests {
    private func withTwoNodes(
        _ clusterProtocol: ClusterProtocol = .classic, _ body: (SwiftClusterNode, SwiftClusterNode, RedisConfiguration) async throws -> Void
    ) async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let redis = try RedisConfiguration(url: server.url)
        let nodeA = SwiftClusterNode(redis: redis, name: "A", protocol: clusterProtocol)
        let nodeB = SwiftClusterNode(redis: redis, name: "B", protocol: clusterProtocol)
        defer { nodeA.stop(); nodeB.stop() }
        for _ in 0..<200 where await nodeA.io.main.serverCount() < 2 || nodeA.subscriber.isConnected == false || nodeB.subscriber.isConnected == false {
            try await Task.sleep(for: .milliseconds(20))
        }
        // The broadcast pattern and response channels follow the request channel: let them land.
        try await Task.sleep(for: .milliseconds(200))
        try await body(nodeA, nodeB, redis)
    }

    @Test("serverCount, fetchSockets with handshake and data, and allRooms span both nodes", arguments: ClusterProtocol.allCases)
    func fetchAndRooms(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withTwoNodes(clusterProtocol) { nodeA, nodeB, _ in
            let onB = try await nodeB.connect(room: "booking_7")
            _ = try await nodeA.connect(room: "booking_8")
            #expect(await nodeA.io.main.serverCount() == 2)
            let found = try await nodeA.io.main.to("booking_7").fetchSockets()
            #expect(found.count == 1)
            let remote = try #require(found.first)
            #expect(remote.id == onB.id)
            #expect(remote.data == ["node": "B"])
            #expect(remote.rooms.contains("booking_7"))
            #expect(remote.handshake.auth == ["room": "booking_7"])
            switch clusterProtocol {
            case .classic:
                let rooms = try await nodeA.io.main.allRooms()
                #expect(rooms.isSuperset(of: ["booking_7", "booking_8"]))
            case .sharded:
                // The cluster protocol has no such request: refused, not answered in part.
                await #expect(throws: RedisAdapterError(operation: "allRooms", namespace: "/", reason: .notInProtocol)) { try await nodeA.io.main.allRooms() }
            }
            // Operations on a remote socket reach it through Redis.
            await remote.emit("hello", "from A")
            #expect(try await onB.nextEvent(named: "hello").arguments == ["from A"])
        }
    }

    @Test("socketsJoin, socketsLeave and disconnectSockets act on the other node's sockets", arguments: ClusterProtocol.allCases)
    func remoteMembership(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withTwoNodes(clusterProtocol) { nodeA, nodeB, _ in
            let onB = try await nodeB.connect(room: "r")
            await nodeA.io.main.in("r").socketsJoin("vip")
            try await eventually { try await nodeA.io.main.to("vip").fetchSockets().count == 1 }
            await nodeA.io.main.in("r").socketsLeave("vip")
            try await eventually { try await nodeA.io.main.to("vip").fetchSockets().isEmpty }
            await nodeA.io.main.in("r").disconnectSockets()
            #expect(try await onB.disconnected() == .ioServerDisconnect)
        }
    }

    @Test("serverSideEmitWithAck gets the other node's answer; broadcast acks count clients on both nodes", arguments: ClusterProtocol.allCases)
    func acknowledgements(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withTwoNodes(clusterProtocol) { nodeA, nodeB, _ in
            let clients = [try await nodeA.connect(room: "q"), try await nodeB.connect(room: "q"), try await nodeB.connect(room: "q")]
            #expect(try await nodeA.io.main.serverSideEmitWithAck("node_name") == ["B"])
            let asked = Task { try await nodeA.io.main.to("q").emitWithAck("question") }
            for (index, client) in clients.enumerated() {
                try await client.nextEvent(named: "question").ack?(.int(index))
            }
            #expect(Set(try await asked.value) == [0, 1, 2])
            // One socket that never answers: the others' answers are kept, one is missing.
            let partial = Task { try await nodeA.io.main.to("q").timeout(.milliseconds(600)).emitWithAck("question") }
            for client in clients.dropLast() { try await client.nextEvent(named: "question").ack?("yes") }
            await #expect(throws: SocketIOAckTimeoutError(responses: ["yes", "yes"], missing: 1)) { try await partial.value }
        }
    }

    @Test("The first request of a namespace made a moment ago gets its answers", arguments: ClusterProtocol.allCases)
    func firstRequestOfANewNamespace(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withTwoNodes(clusterProtocol) { nodeA, nodeB, _ in
            nodeB.io.of("/orders").onServerSideEmit("desk") { event in event.ack("B's desk") }
            try await Task.sleep(for: .milliseconds(200))  // B's /orders channels
            // A makes /orders now and asks at once: its response channels must be up first.
            #expect(try await nodeA.io.of("/orders").serverSideEmitWithAck("desk") == ["B's desk"])
        }
    }

    @Test("A node that subscribed and went silent makes requests time out, not hang", arguments: ClusterProtocol.allCases)
    func silentNode(_ clusterProtocol: ClusterProtocol) async throws {
        try await self.withTwoNodes(clusterProtocol) { nodeA, _, redis in
            // A third "node": subscribed to the channel nodes are counted by, answering nothing.
            let silent = RedisSubscriber(configuration: redis, logger: testLogger) { _, _ in }
            switch clusterProtocol {
            case .classic: await silent.subscribe("socket.io-request#/#")
            case .sharded: await silent.subscribe(shardChannel: "socket.io#/#")
            }
            let run = Task { try await silent.run() }
            defer { run.cancel() }
            for _ in 0..<100 where await nodeA.io.main.serverCount() < 3 { try await Task.sleep(for: .milliseconds(20)) }
            let started = ContinuousClock.now
            await #expect(throws: RedisAdapterError.self) { try await nodeA.io.main.timeout(.milliseconds(500)).fetchSockets() }
            #expect(ContinuousClock.now - started < .seconds(3))
            do {
                _ = try await nodeA.io.main.serverSideEmitWithAck("node_name", timeout: .milliseconds(500))
                Issue.record("a silent node must time out")
            } catch let error as SocketIOAckTimeoutError {
                #expect(error.responses == ["B"])
                #expect(error.missing == 1)
            }
        }
    }

    @Test("The emitter reaches rooms, namespaces and server-side handlers on every node; reserved names are refused")
    func emitter() async throws {
        try await self.withTwoNodes { nodeA, nodeB, redis in
            let onA = try await nodeA.connect(room: "booking_1")
            let onB = try await nodeB.connect(room: "booking_1")
            let other = try await nodeB.connect(room: "booking_2")
            let emitter = RedisEmitter(publisher: RedisClient(configuration: redis, logger: testLogger))
            try await emitter.to("booking_1").emit("payment_confirmed", ["bookingId": "1"], .binary(ByteBuffer(bytes: [9])))
            #expect(try await onA.nextEvent(named: "payment_confirmed").arguments == [["bookingId": "1"], .binary(ByteBuffer(bytes: [9]))])
            #expect(try await onB.nextEvent(named: "payment_confirmed").arguments.first == ["bookingId": "1"])
            await #expect(throws: SocketIOTestError.self) { try await other.nextEvent(named: "payment_confirmed", within: .milliseconds(300)) }
            await #expect(throws: RedisEmitterError.reservedEventName("connect")) { try await emitter.emit("connect") }
            try await emitter.in("booking_2").socketsJoin("moved")
            try await eventually { try await nodeA.io.main.to("moved").fetchSockets().map(\.id) == [other.id] }
            try await emitter.except("booking_2").disconnectSockets()
            #expect(try await onA.disconnected() == .ioServerDisconnect)
            #expect(try await onB.disconnected() == .ioServerDisconnect)
            #expect(other.isConnected)
        }
    }
}
