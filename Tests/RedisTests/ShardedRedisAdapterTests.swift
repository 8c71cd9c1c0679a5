import Foundation
import MessagePack
import NIOCore
import OrderedCollections
import Testing

@testable import Redis
@testable import SocketIO
import SocketIOTesting
@testable import SocketIORedisAdapter

/// The sharded adapter's own parts: cluster messages as Node writes them, the channel a
/// broadcast takes in each mode, and the room channels following a node's rooms on a real
/// redis-server. (The cluster API over it runs in `RedisClusterAPITests` and, against a Node
/// node, in `NodeClusterInteropTests`.)
@Suite("Sharded Redis adapter")
struct ShardedRedisAdapterTests {
    @Test("Cluster messages are JSON, as Node writes them, unless their data holds binary")
    func jsonOrMessagePack() throws {
        let plain = ClusterMessage(senderID: "n1", namespace: "/", type: .socketsJoin, data: ["opts": SocketIOBroadcastOptions(rooms: ["r"]).wireValue, "rooms": .array([.string("vip")])])
        #expect(String(buffer: plain.encoded()) == #"{"uid":"n1","nsp":"/","type":4,"data":{"opts":{"rooms":["r"],"except":[],"flags":{}},"rooms":["vip"]}}"#)
        let binary = ClusterMessage(senderID: "n1", namespace: "/", type: .broadcast, data: ["packet": SocketIOPacket.event("e", [.binary(ByteBuffer(bytes: [1, 2]))]).wireValue])
        let encoded = binary.encoded()
        #expect(encoded.readableBytesView.first != UInt8(ascii: "{"))
        let read = try #require(ClusterMessage(decoding: encoded))
        #expect(read.type == .broadcast && read.senderID == "n1")
        #expect(read.data["packet"].flatMap(SocketIOPacket.init(wireValue:)) == .event("e", [.binary(ByteBuffer(bytes: [1, 2]))]))
        // What Node's ClusterAdapter publishes for `io.serverSideEmit("hello", 1)`.
        let node = try #require(ClusterMessage(decoding: ByteBuffer(string: #"{"type":9,"data":{"packet":["hello",1]},"uid":"4b3c2a19e8d7f6a5","nsp":"/"}"#)))
        #expect(node.type == .serverSideEmit && node.requestID == nil && node.data["packet"] == .array([.string("hello"), .int(1)]))
    }

    @Test("Anything that is not a cluster message is ignored", arguments: ["", "{}", #"{"uid":"n","nsp":"/"}"#, #"{"uid":"n","nsp":"/","type":99}"#, "\u{93}\u{01}"])
    func malformed(text: String) {
        #expect(ClusterMessage(decoding: ByteBuffer(string: text)) == nil)
    }

    @Test("A broadcast to one public room takes the room's channel in the dynamic modes; acks and several rooms the namespace's")
    func channels() {
        let channels = ShardedRedisChannels(prefix: "socket.io", namespace: "/orders")
        let socketID = "aBcDeFgHiJkLmNoPqRsT"
        #expect(channels.main == "socket.io#/orders#")
        #expect(channels.responses(forNode: "n1") == "socket.io#/orders#n1#")
        #expect(channels.broadcast(to: ["desk"], mode: .dynamic, withAck: false) == "socket.io#/orders#desk#")
        #expect(channels.broadcast(to: ["desk"], mode: .static, withAck: false) == channels.main)
        #expect(channels.broadcast(to: ["desk"], mode: .dynamic, withAck: true) == channels.main)
        #expect(channels.broadcast(to: ["desk", "lobby"], mode: .dynamic, withAck: false) == channels.main)
        #expect(channels.broadcast(to: [socketID], mode: .dynamic, withAck: false) == channels.main)
        #expect(channels.broadcast(to: [socketID], mode: .dynamicPrivate, withAck: false) == "socket.io#/orders#\(socketID)#")
        #expect(channels.broadcast(to: [], mode: .dynamic, withAck: false) == channels.main)
        // 19 characters as JavaScript counts them (UTF-16), 20 bytes in UTF-8: not a socket id.
        #expect(channels.broadcast(to: ["señal-de-pago-12345"], mode: .dynamic, withAck: false) == "socket.io#/orders#señal-de-pago-12345#")
    }

    @Test(
        "A node listens to a public room's channel while one of its sockets is in it",
        .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)")
    )
    func roomChannelsFollowMembership() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let redis = try RedisConfiguration(url: server.url)
        let node = SwiftClusterNode(redis: redis, name: "A", protocol: .sharded(.dynamic))
        defer { node.stop() }
        let inspector = RedisClient(configuration: redis, logger: testLogger)
        func shardChannels() async throws -> Set<String> {
            Set(try await inspector.send(RESPCommand("PUBSUB", "SHARDCHANNELS")).array?.compactMap(\.string) ?? [])
        }
        try await eventually { try await shardChannels() == ["socket.io#/#", "socket.io#/#A#"] }
        let first = try await node.connect(room: "booking_1")
        let second = try await node.connect(room: "booking_1")
        try await eventually { try await shardChannels().contains("socket.io#/#booking_1#") }
        // Sockets' own rooms get no channel in the dynamic mode.
        #expect(try await !shardChannels().contains("socket.io#/#\(first.id)#"))
        first.disconnect()
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await shardChannels().contains("socket.io#/#booking_1#"))  // the second is still in it
        second.disconnect()
        try await eventually { try await !shardChannels().contains("socket.io#/#booking_1#") }
    }
}
