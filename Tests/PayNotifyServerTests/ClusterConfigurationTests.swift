import Testing

import SocketIORedisAdapter
@testable import PayNotifyServer

@Suite("Cluster configuration")
struct ClusterConfigurationTests {
    @Test("The classic adapter on socket.io's prefix by default, as Node's")
    func defaults() throws {
        let cluster = try PayNotifyConfiguration.load(from: [:]).cluster
        #expect(cluster.adapter == .classic)
        #expect(cluster.channelPrefix == "socket.io")
    }

    @Test("The sharded adapter in each subscription mode, dynamic by default, and a prefix of one's own")
    func sharded() throws {
        #expect(try ClusterConfiguration.load(from: ["REDIS_ADAPTER": "sharded"]).adapter == .sharded(.dynamic))
        for mode in ShardedSubscriptionMode.allCases {
            #expect(try ClusterConfiguration.load(from: ["REDIS_ADAPTER": "Sharded", "REDIS_SUBSCRIPTION_MODE": mode.rawValue]).adapter == .sharded(mode))
        }
        #expect(try ClusterConfiguration.load(from: ["REDIS_CHANNEL_PREFIX": "shop-42"]).channelPrefix == "shop-42")
        #expect(PayNotifyConfiguration.variables.map(\.name).contains("REDIS_SUBSCRIPTION_MODE"))
    }

    static let refusals: [([String: String], String)] = [
        (["REDIS_ADAPTER": "cluster"], "REDIS_ADAPTER"),
        (["REDIS_ADAPTER": "sharded", "REDIS_SUBSCRIPTION_MODE": "private"], "REDIS_SUBSCRIPTION_MODE"),
        (["REDIS_SUBSCRIPTION_MODE": "static"], "REDIS_SUBSCRIPTION_MODE"),
        (["REDIS_ADAPTER": "classic", "REDIS_SUBSCRIPTION_MODE": "dynamic"], "REDIS_SUBSCRIPTION_MODE"),
        (["REDIS_CHANNEL_PREFIX": "socket io"], "REDIS_CHANNEL_PREFIX"),
    ]

    @Test("Unusable settings are refused, naming the variable", arguments: Self.refusals)
    func refused(variables: [String: String], variable: String) {
        do {
            _ = try ClusterConfiguration.load(from: variables)
            Issue.record("\(variables) must be refused")
        } catch {
            #expect(error.variable == variable)
        }
    }
}
