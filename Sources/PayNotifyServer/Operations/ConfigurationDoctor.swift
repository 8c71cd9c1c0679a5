import Foundation
import Logging
import Redis
import RedisLedger

/// `paynotify doctor`: checks a loaded configuration against the machine without starting the
/// server: the ledger file can be written, Redis answers, the TLS files and the socket token key
/// load, the webhook secret suits its scheme; and lists what development mode would warn about.
public struct ConfigurationDoctor: Sendable {
    /// One line of the report.
    public struct Finding: Sendable, Hashable {
        public enum Severity: String, Sendable, Comparable {
            case ok
            case notice
            case warning
            case error

            public static func < (left: Severity, right: Severity) -> Bool {
                let order: [Severity] = [.ok, .notice, .warning, .error]
                return order.firstIndex(of: left)! < order.firstIndex(of: right)!
            }
        }

        public let severity: Severity
        public let subject: String
        public let message: String

        public init(_ severity: Severity, _ subject: String, _ message: String) {
            self.severity = severity
            self.subject = subject
            self.message = message
        }
    }

    public let configuration: PayNotifyConfiguration
    /// How long Redis gets to answer a PING.
    public var redisTimeout: Duration = .seconds(3)

    public init(configuration: PayNotifyConfiguration) {
        self.configuration = configuration
    }

    public func check() async -> [Finding] {
        var findings = [Finding(.ok, "configuration", "every variable is valid (\(self.configuration.security.environment.rawValue) mode)")]
        if let redis = self.configuration.redis {
            findings += await self.checkRedis(redis)
        } else {
            findings.append(Self.checkWritable(path: self.configuration.databasePath))
        }
        findings.append(await self.checkTLS())
        findings.append(await self.checkSocketTokens())
        findings.append(await self.checkWebhookSecret())
        for notice in self.configuration.startupNotices {
            findings.append(Finding(notice.level >= .warning ? .warning : .notice, "start-up", notice.message))
        }
        return findings
    }

    /// The ledger file can be opened for writing, or created in its directory.
    static func checkWritable(path: String) -> Finding {
        let subject = "ledger"
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { return Finding(.error, subject, "\(path) is a directory, not a database file") }
            guard let handle = FileHandle(forUpdatingAtPath: path) else { return Finding(.error, subject, "\(path) exists but cannot be opened for writing") }
            try? handle.close()
            return Finding(.ok, subject, "\(path) is writable")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Finding(.error, subject, "directory \(directory) of \(path) does not exist")
        }
        let probe = URL(fileURLWithPath: directory).appendingPathComponent(".paynotify-doctor-\(ProcessInfo.processInfo.processIdentifier)").path
        guard files.createFile(atPath: probe, contents: Data()) else {
            return Finding(.error, subject, "cannot create \(path): directory \(directory) is not writable")
        }
        try? files.removeItem(atPath: probe)
        return Finding(.ok, subject, "\(path) will be created (directory \(directory) is writable)")
    }

    /// Whether Redis answers, then what its persistence settings mean for acknowledged payments.
    private func checkRedis(_ redis: RedisConfiguration) async -> [Finding] {
        let address = "\(redis.host):\(redis.port)/\(redis.database)"
        let client = RedisClient(configuration: redis, logger: Logger(label: "paynotify.doctor", factory: { _ in SwiftLogNoOpLogHandler() }))
        defer { client.close() }
        let answer = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    let reply = try await client.send(RESPCommand("PING"))
                    return reply.string == "PONG" ? nil : "answered \(reply) to PING"
                } catch {
                    return "\(error)"
                }
            }
            group.addTask {
                try? await Task.sleep(for: self.redisTimeout)
                return "no answer within \(self.redisTimeout)"
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        guard answer == nil else { return [Finding(.error, "redis", "\(address) is not reachable: \(answer!)")] }
        let durability = await RedisDurability.read(from: client)
        return [
            Finding(.ok, "redis", "\(address) answers PING (cluster mode)"),
            Finding(durability.severity(in: self.configuration.security.environment), "persistence", "Redis " + durability.summary),
        ]
    }

    private func checkTLS() async -> Finding {
        await Self.loading("tls") {
            try PayNotifyApplication.tlsConfiguration(for: self.configuration.security) == nil ? nil : "certificate and key load"
        }
    }

    private func checkSocketTokens() async -> Finding {
        await Self.loading("socket tokens") {
            guard try await SocketTokenVerifier.make(from: self.configuration.security) != nil else { return nil }
            return self.configuration.security.jwtSecret != nil ? "HS256 secret loads" : "public key loads"
        }
    }

    private func checkWebhookSecret() async -> Finding {
        await Self.loading("webhook authentication") {
            try PayNotifyApplication.webhookAuthenticator(for: self.configuration.security) == nil
                ? nil : "\(self.configuration.security.webhookScheme.rawValue) secret loads"
        }
    }

    /// `ok` with what `load` says it loaded (`off` for nil), or `error` with why it could not.
    private static func loading(_ subject: String, _ load: () async throws -> String?) async -> Finding {
        do {
            return Finding(.ok, subject, try await load() ?? "off")
        } catch {
            return Finding(.error, subject, "\(error)")
        }
    }
}
