import Foundation
import HTTPTypes
import Logging
import MessagePack
import OrderedCollections
import NIOCore
import Testing

@testable import EngineIO
@testable import Redis
@testable import SocketIO
import SocketIOTesting
@testable import SocketIORedisAdapter

@Suite("Redis adapter wire format")
struct RedisAdapterWireTests {
    /// What Node's redis adapter publishes for `io.to("r").emit("ev", 1, Buffer.from([0xff]))`
    /// (printed by notepack.encode of the emitter's message, uid aside).
    static let nodeBroadcast = "93a7656d697474657283a47479706502a46461746193a2657601c401ffa36e7370a12f83a5726f6f6d7391a172a5666c61677380a665786365707490"

    @Test("A Node broadcast reads as its event, binary in place, with its rooms")
    func readsANodeBroadcast() throws {
        let message = try #require(RedisBroadcastMessage(decoding: Self.bytes(Self.nodeBroadcast)))
        #expect(message.senderID == "emitter")
        #expect(message.packet == .event("ev", [.int(1), .binary(ByteBuffer(bytes: [0xff]))]))
        #expect(message.options == SocketIOBroadcastOptions(rooms: ["r"]))
    }

    @Test("Ours are Node's bytes: the same event and options write the same message")
    func writesWhatNodeWrites() {
        let message = RedisBroadcastMessage(
            senderID: "emitter", packet: .event("ev", [.int(1), .binary(ByteBuffer(bytes: [0xff]))]), options: SocketIOBroadcastOptions(rooms: ["r"]))
        // Node writes the options' keys as {rooms, flags, except}, ours {rooms, except, flags}:
        // the same map, so compared as values.
        let ours = try? MessagePackValue(decoding: message.encoded())
        let nodes = try? MessagePackValue(decoding: Self.bytes(Self.nodeBroadcast))
        #expect(ours?.arrayValue?[0] == nodes?.arrayValue?[0])
        #expect(ours?.arrayValue?[1] == nodes?.arrayValue?[1])
        #expect(Set(ours?.arrayValue?[2].mapKeys ?? []) == Set(nodes?.arrayValue?[2].mapKeys ?? []))
        #expect(ours?.arrayValue?[2]["rooms"] == nodes?.arrayValue?[2]["rooms"])
    }

    @Test("Flags, exceptions and a namespace survive the trip")
    func roundTrip() {
        let message = RedisBroadcastMessage(
            senderID: "node-a",
            packet: .event("f", [.object(["n": .int(1)]), .binary(ByteBuffer(bytes: [0, 1, 255]))], namespace: "/admin"),
            options: SocketIOBroadcastOptions(rooms: ["r1", "r2"], exceptRooms: ["x"], volatile: true, compress: false)
        )
        #expect(RedisBroadcastMessage(decoding: message.encoded()) == message)
    }

    @Test("Anything else on the channel is ignored", arguments: ["", "hello", "PNB1", "{\"type\":2}"])
    func malformed(text: String) {
        #expect(RedisBroadcastMessage(decoding: ByteBuffer(string: text)) == nil)
        var truncated = RedisBroadcastMessage(senderID: "n", packet: .event("e", []), options: .init()).encoded()
        truncated.moveWriterIndex(to: truncated.writerIndex - 1)
        #expect(RedisBroadcastMessage(decoding: truncated) == nil)
    }

    @Test("Requests read from JSON (Node's) and MessagePack alike")
    func requestsInEitherEncoding() throws {
        let json = try #require(RedisAdapterMessage.decode(ByteBuffer(string: #"{"uid":"abc","type":5,"requestId":"r1","opts":{"rooms":["a"],"except":[]}}"#)))
        #expect(RedisAdapterMessage.requestType(of: json) == .remoteFetch)
        #expect(RedisAdapterMessage.selection(of: json) == SocketIOBroadcastOptions(rooms: ["a"]))
        let packed = try #require(RedisAdapterMessage.decode(json.encoded()))
        #expect(packed == json)
        #expect(RedisAdapterMessage.decode(ByteBuffer(string: "{nope")) == nil)
    }

    @Test("A socket snapshot crosses as Node's fetchSockets entry")
    func snapshotRoundTrip() throws {
        var headers = HTTPFields()
        headers[.origin] = "https://shop.example"
        headers[.userAgent] = "test"
        let request = EngineIOConnectionRequest(
            path: "/socket.io/", query: ["EIO": "4", "transport": "websocket"], headers: headers,
            remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: 4000), transport: .websocket)
        let handshake = SocketIOHandshake(auth: ["token": "t"], request: request, time: Date(timeIntervalSince1970: 1_764_670_000.123))
        let snapshot = SocketIOSocketSnapshot(id: "s1", handshake: handshake, rooms: ["s1", "booking_1"], data: ["user": "u"])
        let wire = snapshot.wireValue
        #expect(wire["handshake"]?["xdomain"] == .bool(true))
        #expect(wire["handshake"]?["time"] == .string("Tue Dec 02 2025 10:06:40 GMT+0000 (Coordinated Universal Time)"))
        let back = try #require(SocketIOSocketSnapshot(wireValue: try MessagePackValue(decoding: wire.encoded())))
        #expect(back.id == "s1")
        #expect(back.rooms == ["s1", "booking_1"])
        #expect(back.data == ["user": "u"])
        #expect(back.handshake.auth == ["token": "t"])
        #expect(back.handshake.query == ["EIO": "4", "transport": "websocket"])
        #expect(back.handshake.address == "127.0.0.1")
        #expect(back.handshake.headers[.userAgent] == "test")
        #expect(back.handshake.issued == handshake.issued)
        #expect(back.handshake.url == handshake.url)
    }

    @Test("A Date from a Node node reads as JavaScript's ISO text", arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (1_764_670_000_123, "2025-12-02T10:06:40.123Z"), (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
    ])
    func dates(milliseconds: Double, text: String) {
        #expect(SocketIOValue(MessagePackValue.date(millisecondsSince1970: milliseconds)) == .string(text))
    }

    static func bytes(_ hex: String) -> ByteBuffer {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return ByteBuffer(bytes: bytes)
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
        let factory = RedisAdapterFactory(redis: redis, publisher: publisher, logger: testLogger)
        let subscriber = factory.subscriber
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

extension MessagePackValue {
    fileprivate var mapKeys: [String] {
        if case .map(let members) = self { return Array(members.keys) }
        return []
    }
}
