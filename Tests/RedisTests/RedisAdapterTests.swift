import Foundation
import HTTPTypes
import Logging
import NIOCore
import Testing

@testable import EngineIO
@testable import Redis
@testable import SocketIO
import SocketIOTestSupport
@testable import SocketIORedisAdapter

@Suite("Redis broadcast message")
struct RedisBroadcastMessageTests {
    @Test("Text and binary frames, rooms and exceptions survive the trip")
    func roundTrip() throws {
        let message = RedisBroadcastMessage(
            senderID: "node-a",
            namespace: "/admin",
            options: SocketIOBroadcastOptions(rooms: ["r1", "r2"], exceptRooms: ["x"]),
            frames: [.text(ByteBuffer(string: "451-[\"f\",{\"_placeholder\":true,\"num\":0}]")), .binary(ByteBuffer(bytes: [0, 1, 255]))]
        )
        #expect(RedisBroadcastMessage(decoding: message.encoded()) == message)
    }

    @Test("Anything else on the channel is ignored", arguments: ["", "hello", "PNB1"])
    func malformed(text: String) {
        #expect(RedisBroadcastMessage(decoding: ByteBuffer(string: text)) == nil)
        var truncated = RedisBroadcastMessage(senderID: "n", namespace: "/", options: .init(), frames: [.text(ByteBuffer(string: "42[]"))]).encoded()
        truncated.moveWriterIndex(to: truncated.writerIndex - 1)
        #expect(RedisBroadcastMessage(decoding: truncated) == nil)
    }
}

/// One node of a test cluster: a Socket.IO server on a Redis adapter, with clients driven
/// in-process through Engine.IO sessions (no HTTP), so what each socket receives can be read.
private struct Node {
    let io: SocketIOServer
    let engine: EngineIOServer
    let factory: RedisAdapterFactory
    let subscriber: RedisSubscriber
    let subscription: Task<Void, any Error>

    init(redis: RedisConfiguration) async {
        let publisher = RedisClient(configuration: redis, logger: testLogger)
        let factory = RedisAdapterFactory(publisher: publisher, logger: testLogger)
        let subscriber = RedisSubscriber(configuration: redis, logger: testLogger, onMessage: factory.receive)
        await subscriber.subscribe(pattern: factory.channelPattern)
        self.factory = factory
        self.subscriber = subscriber
        self.subscription = Task { try await subscriber.run() }
        self.io = SocketIOServer(adapter: factory, logger: testLogger)
        self.engine = self.io.engine
        self.io.main.onConnection { socket in
            if let room = socket.handshake.auth["room"]?.stringValue { socket.join(room) }
        }
    }

    /// A connected client in `room`.
    func connect(room: String) async -> InProcessClient {
        let (client, connected) = await InProcessClient.connect(to: self.engine, auth: #"{"room":"\#(room)"}"#)
        precondition(connected.hasPrefix("40{"))
        // The room is joined by a connection handler, which runs after the CONNECT answer.
        let socketID = String(connected.dropFirst(#"40{"sid":""#.count).prefix { $0 != "\"" })
        for _ in 0..<200 where !self.io.main.adapter.rooms(of: socketID).contains(room) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return client
    }

    func waitUntilSubscribed() async {
        for _ in 0..<100 where !self.subscriber.isConnected {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        self.subscription.cancel()
        self.engine.close()
    }
}

@Suite("Redis adapter across nodes", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisAdapterClusterTests {
    /// Runs `body` with two subscribed nodes on a fresh redis-server.
    private func withTwoNodes(_ body: (Node, Node) async throws -> Void) async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let redis = try RedisConfiguration(url: server.url)
        let nodeA = await Node(redis: redis)
        let nodeB = await Node(redis: redis)
        defer { nodeA.stop(); nodeB.stop() }
        await nodeA.waitUntilSubscribed()
        await nodeB.waitUntilSubscribed()
        try await body(nodeA, nodeB)
    }

    @Test("A broadcast on one node reaches room members on every node exactly once")
    func crossNodeBroadcast() async throws {
        try await self.withTwoNodes { nodeA, nodeB in
            let onA = await nodeA.connect(room: "booking_1")
            let onB = await nodeB.connect(room: "booking_1")
            let elsewhere = await nodeB.connect(room: "booking_2")

            // The subscription may need a moment after connecting: retry until the first one lands.
            var received: [String] = []
            for attempt in 0..<20 where received.isEmpty {
                await nodeB.io.to("booking_1").emit("paid", .int(attempt))
                received = await onA.texts(count: 1)
            }
            #expect(received.first?.hasPrefix(#"42["paid","#) == true)
            let local = await onB.texts(count: 20, within: .milliseconds(500))
            #expect(!local.isEmpty && local.allSatisfy { $0.hasPrefix(#"42["paid","#) })
            #expect(Set(local).count == local.count, "each broadcast reached the local socket once")

            await nodeB.io.to("booking_1").emit("final", "x")
            #expect(await onA.texts(count: 1) == [#"42["final","x"]"#])
            #expect(await onB.texts(count: 1) == [#"42["final","x"]"#])
            #expect(await elsewhere.texts(count: 1, within: .milliseconds(500)).isEmpty)
            #expect(nodeA.factory.counts.received >= 1)
            #expect(nodeB.factory.counts.published >= 1)
        }
    }

    @Test("Exceptions and binary payloads cross nodes")
    func exceptionsAndBinary() async throws {
        try await self.withTwoNodes { nodeA, nodeB in
            let member = await nodeA.connect(room: "r")
            let excluded = await nodeA.connect(room: "vip")
            _ = await nodeB.connect(room: "r")
            var received: [String] = []
            for _ in 0..<20 where received.isEmpty {
                await nodeB.io.main.except("vip").emit("file", .binary(ByteBuffer(bytes: [1, 2, 3])))
                received = await member.texts(count: 1)
            }
            #expect(received.first == #"451-["file",{"_placeholder":true,"num":0}]"#)
            #expect(await excluded.texts(count: 1, within: .milliseconds(500)).isEmpty)
        }
    }

    @Test("With Redis down, local sockets still get broadcasts and the failure is counted")
    func redisDown() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        let redis = try RedisConfiguration(url: server.url)
        let node = await Node(redis: redis)
        defer { node.stop() }
        let local = await node.connect(room: "r")
        server.stop()
        await node.io.to("r").emit("still", "here")
        #expect(await local.texts(count: 1) == [#"42["still","here"]"#])
        #expect(node.factory.counts.publishFailures >= 1)
    }
}
