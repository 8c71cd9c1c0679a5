public import Redis

/// How much of what Redis acknowledged survives a crash of Redis, from its persistence
/// settings (`appendonly`, `appendfsync`).
///
/// The Redis ledger answers a webhook once Redis has acknowledged the payment; whether that
/// acknowledgement is on disk is Redis's setting, not ours. Read it, so that a configuration
/// that can lose acknowledged payments is said out loud (and refused in production).
public enum RedisDurability: Sendable, Hashable {
    /// `appendonly yes`, `appendfsync always`: every write is on disk before Redis answers.
    case everyWrite
    /// `appendfsync everysec`: a crash can lose the last second of acknowledged writes.
    case everySecond
    /// `appendfsync no`: the kernel writes the file back when it likes (about every 30 s).
    case whenTheKernelFlushes
    /// `appendonly no`: acknowledged writes live in memory, and in snapshots if any are taken.
    case memoryOnly
    /// The settings could not be read (a managed Redis that refuses `CONFIG`, or no Redis), why.
    case unknown(String)

    /// Reads the settings with `CONFIG GET`.
    public static func read(from redis: RedisClient) async -> RedisDurability {
        do {
            let appendOnly = try await Self.setting("appendonly", from: redis)
            guard appendOnly == "yes" else { return .memoryOnly }
            switch try await Self.setting("appendfsync", from: redis) {
            case "always": return .everyWrite
            case "everysec": return .everySecond
            case "no": return .whenTheKernelFlushes
            case let other: return .unknown("appendfsync is \(other)")
            }
        } catch {
            return .unknown(error.code == .server ? "CONFIG GET refused: \(error.message)" : "\(error)")
        }
    }

    private static func setting(_ name: String, from redis: RedisClient) async throws(RedisError) -> String {
        let reply = try await redis.send(RESPCommand("CONFIG", "GET", name))
        // `[name, value]`; an empty array when the setting does not exist (or is hidden).
        guard let pair = reply.array, pair.count == 2, let value = pair[1].string else {
            throw RedisError.protocolViolation("CONFIG GET \(name) answered \(reply)")
        }
        return value
    }

    /// What the settings mean for acknowledged payments, in a sentence.
    public var summary: String {
        switch self {
        case .everyWrite:
            "appendonly yes, appendfsync always: every acknowledged payment is on disk"
        case .everySecond:
            "appendfsync everysec: a Redis crash can lose the last second of acknowledged payments"
        case .whenTheKernelFlushes:
            "appendfsync no: a Redis crash can lose the acknowledged payments the kernel has not written back (about 30 s)"
        case .memoryOnly:
            "appendonly no: acknowledged payments live only in Redis's memory (and snapshots), a Redis crash or restart loses them"
        case .unknown(let why):
            "persistence settings unknown (\(why)): make sure Redis runs with appendonly yes"
        }
    }
}
