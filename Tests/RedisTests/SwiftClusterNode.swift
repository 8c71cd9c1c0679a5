import EngineIO
import Logging
import Testing

@testable import Redis
import SocketIO
import SocketIOTesting
import SocketIORedisAdapter

/// The Redis protocols a cluster node can speak: Node's classic adapter, and its sharded one in
/// each subscription mode.
enum ClusterProtocol: Hashable, CaseIterable, CustomTestStringConvertible, Sendable {
    case classic
    case sharded(ShardedSubscriptionMode)

    static let allCases: [ClusterProtocol] = [.classic] + ShardedSubscriptionMode.allCases.map(ClusterProtocol.sharded)

    var testDescription: String {
        switch self {
        case .classic: "classic"
        case .sharded(let mode): "sharded \(mode.rawValue)"
        }
    }

    /// What the Node test node is told (`SHARDED`), nil for the classic adapter.
    var nodeSubscriptionMode: String? {
        guard case .sharded(let mode) = self else { return nil }
        return mode.rawValue
    }
}

/// A Swift node of a test cluster: a `SocketIOServer` on a Redis adapter, whose sockets join the
/// room in their auth, carry `{node: name}` as data and answer `ready`; the node answers the
/// server-side event `node_name` with its name, as the Node test node does.
struct SwiftClusterNode {
    let io: SocketIOServer
    let subscriber: RedisSubscriber
    let subscription: Task<Void, any Error>

    init(redis: RedisConfiguration, name: String, protocol clusterProtocol: ClusterProtocol = .classic) {
        let publisher = RedisClient(configuration: redis, logger: testLogger)
        let factory: any SocketIOAdapterFactory
        switch clusterProtocol {
        case .classic:
            let classic = RedisAdapterFactory(nodeID: name, redis: redis, publisher: publisher, logger: testLogger)
            (factory, self.subscriber) = (classic, classic.subscriber)
        case .sharded(let mode):
            let sharded = ShardedRedisAdapterFactory(nodeID: name, subscriptionMode: mode, redis: redis, publisher: publisher, logger: testLogger)
            (factory, self.subscriber) = (sharded, sharded.subscriber)
        }
        let subscriber = self.subscriber
        self.subscription = Task { try await subscriber.run() }
        self.io = SocketIOServer(configuration: SocketIOConfiguration(ackTimeout: .seconds(2)), adapter: factory, logger: testLogger)
        self.io.main.onConnection { socket in
            if let room = socket.handshake.auth["room"]?.stringValue { socket.join(room) }
            socket.data = ["node": .string(name)]
            socket.on("ready") { event in event.ack?() }
        }
        self.io.main.onServerSideEmit("node_name") { event in event.ack(.string(name)) }
    }

    /// A client in `room`, once the node has handled its connection.
    func connect(room: String, namespace: String = "/") async throws -> SocketIOTestClient {
        let client = try await SocketIOTestClient.connect(to: self.io, namespace: namespace, auth: ["room": .string(room)])
        if namespace == "/" { _ = try await client.emitWithAck("ready") }
        return client
    }

    func stop() {
        self.subscription.cancel()
        self.io.engine.close()
    }
}

/// Waits (bounded: `limit`) until `condition` holds, recording an issue if it never does.
func eventually(within limit: Duration = .seconds(2), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    repeat {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(40))
    } while ContinuousClock.now < deadline
    Issue.record("condition not met within \(limit)")
}
