import Foundation
import NIOCore
import Synchronization
import Testing

@testable import Redis

/// Against a real redis-server.
@Suite("Redis client", .enabled(if: RedisServerProcess.executable != nil, "needs redis-server (scripts/test installs it)"))
struct RedisClientTests {
    @Test("Commands, replies and server errors")
    func commands() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: testLogger)
        #expect(await client.ping())
        #expect(try await client.send(RESPCommand("SET", "k", "v")) == .simpleString("OK"))
        #expect(try await client.send(RESPCommand("GET", "k")).string == "v")
        #expect(try await client.send(RESPCommand("GET", "missing")).isNull)
        #expect(try await client.send(RESPCommand("RPUSH", "list", "a", "b")) == .integer(2))
        #expect(try await client.send(RESPCommand("LRANGE", "list", "0", "-1")).array?.compactMap(\.string) == ["a", "b"])
        await #expect(throws: RedisError.server(command: "INCR", message: "ERR value is not an integer or out of range")) {
            try await client.send(RESPCommand("INCR", "k"))
        }
        // A server error leaves the connection usable.
        #expect(try await client.send(RESPCommand("GET", "k")).string == "v")
        client.close()
    }

    @Test("Concurrent commands each get their own reply")
    func concurrent() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let reply = try await client.send(RESPCommand("INCRBY", "counter-\(index % 7)", String(index)))
                    #expect(reply.integer != nil)
                    #expect(try await client.send(RESPCommand("ECHO", "value-\(index)")).string == "value-\(index)")
                }
            }
            try await group.waitForAll()
        }
        client.close()
    }

    @Test("AUTH and SELECT from the URL")
    func authenticationAndDatabase() async throws {
        let server = try RedisServerProcess(arguments: ["--requirepass", "s3cret"])
        try await server.start()
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: "redis://:s3cret@127.0.0.1:\(server.port)/3"), logger: testLogger)
        #expect(try await client.send(RESPCommand("SET", "in-db-3", "yes")) == .simpleString("OK"))
        let other = RedisClient(configuration: try RedisConfiguration(url: "redis://:s3cret@127.0.0.1:\(server.port)/0"), logger: testLogger)
        #expect(try await other.send(RESPCommand("GET", "in-db-3")).isNull)
        let wrong = RedisClient(configuration: try RedisConfiguration(url: "redis://:nope@127.0.0.1:\(server.port)"), logger: testLogger)
        await #expect(throws: RedisError.self) { try await wrong.send(RESPCommand("PING")) }
        client.close()
        other.close()
    }

    @Test("A command that gets no answer in time times out, and the next one works")
    func timeout() async throws {
        let server = try RedisServerProcess(arguments: ["--enable-debug-command", "yes"])
        try await server.start()
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .milliseconds(200)
        let client = RedisClient(configuration: configuration, logger: testLogger)
        await #expect(throws: RedisError.timeout(command: "DEBUG")) {
            try await client.send(RESPCommand("DEBUG", "SLEEP", "1"))
        }
        try await Task.sleep(for: .milliseconds(1200))
        // The next command opens a new connection; on a loaded machine its first try can itself
        // overrun the 200 ms limit, so a few tries (bounded) are allowed.
        var answered = false
        for _ in 0..<5 where !answered { answered = await client.ping() }
        #expect(answered)
        client.close()
    }

    @Test("Redis down: commands fail at once; back up: the client reconnects by itself")
    func reconnects() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: testLogger)
        #expect(await client.ping())
        server.stop()
        await #expect(throws: RedisError.self) { try await client.send(RESPCommand("PING")) }
        try await server.start()
        defer { server.stop() }
        var recovered = false
        for _ in 0..<100 where !recovered {
            recovered = await client.ping()
            if !recovered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(recovered)
        client.close()
    }

    @Test("Published messages reach the subscriber, also after Redis restarts")
    func publishSubscribe() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let configuration = try RedisConfiguration(url: server.url)
        let received = Mutex<[String]>([])
        let subscriber = RedisSubscriber(configuration: configuration, logger: testLogger) { channel, payload in
            received.withLock { $0.append("\(channel):\(String(buffer: payload))") }
        }
        let publisher = RedisClient(configuration: configuration, logger: testLogger)
        await subscriber.subscribe("news")
        let running = Task { try await subscriber.run() }
        defer { running.cancel() }

        func publishUntilReceived(_ message: String) async throws -> Bool {
            for _ in 0..<100 {
                _ = try? await publisher.send(RESPCommand("PUBLISH", "news", message))
                if received.withLock({ $0.contains("news:\(message)") }) { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }
        #expect(try await publishUntilReceived("first"))
        #expect(subscriber.isConnected)
        server.stop()
        try await server.start()
        #expect(try await publishUntilReceived("after restart"))
        #expect(subscriber.reconnects >= 1)
        publisher.close()
    }
}
