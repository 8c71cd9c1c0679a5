import Payments
import Redis

/// One poller per booking across the cluster: a node polls a booking only while it holds the
/// booking's lease (`SET NX PX`), which lapses by itself if the node dies.
public struct RedisPollLease: PollLease {
    private let redis: any RedisCommandExecutor
    private let nodeID: String
    private let prefix: String

    public init(redis: any RedisCommandExecutor, nodeID: String, prefix: String = "paynotify") {
        self.redis = redis
        self.nodeID = nodeID
        self.prefix = prefix
    }

    public func acquire(bookingID: String, for duration: Duration) async -> Bool {
        let key = "\(self.prefix):poll-lease:\(bookingID)"
        let milliseconds = String(max(1, Int(duration / .milliseconds(1))))
        // Renew our own lease, or take a free one.
        let script = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            if holder then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """
        let reply = try? await self.redis.send(RESPCommand("EVAL", [script, "1", key, self.nodeID, milliseconds]))
        return reply?.integer == 1
    }
}
