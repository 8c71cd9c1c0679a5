import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import SocketIO
import Testing

let testLogger = Logger(label: "socketio-hummingbird-tests")

/// Runs an application and its Socket.IO server the way the README shows (one service group,
/// the Socket.IO server after the application) on a loopback port, for the length of a test.
enum TestServer {
    /// A port free on 127.0.0.1 a moment ago.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    /// Starts `app` and `io`, runs `body` once `port` accepts connections, then shuts both down
    /// gracefully and waits for them.
    static func run<Result: Sendable>(
        _ app: some Service,
        _ io: SocketIOServer,
        port: Int,
        _ body: @Sendable (_ port: Int) async throws -> Result
    ) async throws -> Result {
        let group = ServiceGroup(configuration: .init(services: [app, io], logger: testLogger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            try await Self.waitUntilListening(port)
            let result: Result
            do {
                result = try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }

    private static func waitUntilListening(_ port: Int) async throws {
        for _ in 0..<200 {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("nothing listened on port \(port) within 2 s")
    }
}

/// Engine.IO polling requests, spelled out, to check what the server writes.
enum PollingClient {
    /// Opens a session; its id.
    static func open(_ base: String) async throws -> String {
        let answer = try await LoopbackHTTP.request(base)
        return try #require(answer.body.firstMatch(of: /"sid":"([^"]+)"/).map { String($0.1) }, "no handshake in \(answer)")
    }

    static func post(_ base: String, sid: String, _ payload: String) async throws {
        let answer = try await LoopbackHTTP.request("\(base)&sid=\(sid)", method: .POST, body: payload)
        #expect(answer == (200, "ok"))
    }

    static func poll(_ base: String, sid: String) async throws -> String {
        try await LoopbackHTTP.request("\(base)&sid=\(sid)").body
    }
}
