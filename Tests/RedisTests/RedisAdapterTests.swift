import Foundation
import HTTPTypes
import Logging
import NIOCore
import Testing

@testable import EngineIO
@testable import Redis
@testable import SocketIO
import SocketIOTesting
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

/// One node of a test cluster: a Socket.IO server on a Redis adapter, with `SocketIOTestClient`s
/// connected in-process (no HTTP), so what each socket receives can be read.
private struct Node {
    let io: SocketIOServer
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
        self.io.main.onConnection { socket in
            if let room = socket.handshake.auth["room"]?.stringValue { socket.join(room) }
            socket.on("joined") { event in event.ack?() }
        }
    }

    /// A connected client in `room`.
    func connect(room: String) async throws -> SocketIOTestClient {
        let client = try await SocketIOTestClient.connect(to: self.io, auth: ["room": .string(room)])
        // The room is joined by a connection handler, which runs after the CONNECT answer and
        // before the socket's first event: once that is acknowledged, the room is joined.
        _ = try await client.emitWithAck("joined")
        return client
    }

    func waitUntilSubscribed() async {
        for _ in 0..<100 where !self.subscriber.isConnected {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        self.subscription.cancel()
        self.io.engine.close()
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
            let onA = try await nodeA.connect(room: "booking_1")
            let onB = try await nodeB.connect(room: "booking_1")
            let elsewhere = try await nodeB.connect(room: "booking_2")

            // The subscription may need a moment after connecting: retry until the first one lands.
            var received: SocketIOEvent?
            for attempt in 0..<20 where received == nil {
                await nodeB.io.to("booking_1").emit("paid", .int(attempt))
                received = try? await onA.nextEvent(named: "paid", within: .milliseconds(500))
            }
            #expect(received != nil)

            await nodeB.io.to("booking_1").emit("final", "x")
            #expect(try await onA.nextEvent(named: "final").arguments == ["x"])
            #expect(try await onB.nextEvent(named: "final").arguments == ["x"])
            let local = onB.receivedEvents.filter { $0.name == "paid" }.map(\.arguments)
            #expect(!local.isEmpty)
            #expect(Set(local).count == local.count, "each broadcast reached the local socket once")
            await #expect(throws: SocketIOTestError.self, "nothing for another room") {
                try await elsewhere.nextEvent(within: .milliseconds(500))
            }
            #expect(nodeA.factory.counts.received >= 1)
            #expect(nodeB.factory.counts.published >= 1)
        }
    }

    @Test("Exceptions and binary payloads cross nodes")
    func exceptionsAndBinary() async throws {
        try await self.withTwoNodes { nodeA, nodeB in
            let member = try await nodeA.connect(room: "r")
            let excluded = try await nodeA.connect(room: "vip")
            _ = try await nodeB.connect(room: "r")
            var received: SocketIOEvent?
            for _ in 0..<20 where received == nil {
                await nodeB.io.main.except("vip").emit("file", .binary(ByteBuffer(bytes: [1, 2, 3])))
                received = try? await member.nextEvent(named: "file", within: .milliseconds(500))
            }
            #expect(received?.arguments == [.binary(ByteBuffer(bytes: [1, 2, 3]))], "the attachment crossed with its packet")
            await #expect(throws: SocketIOTestError.self, "nothing for an excluded room") {
                try await excluded.nextEvent(within: .milliseconds(500))
            }
        }
    }

    @Test("With Redis down, local sockets still get broadcasts and the failure is counted")
    func redisDown() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        let redis = try RedisConfiguration(url: server.url)
        let node = await Node(redis: redis)
        defer { node.stop() }
        let local = try await node.connect(room: "r")
        server.stop()
        await node.io.to("r").emit("still", "here")
        #expect(try await local.nextEvent(named: "still").arguments == ["here"])
        #expect(node.factory.counts.publishFailures >= 1)
    }
}
