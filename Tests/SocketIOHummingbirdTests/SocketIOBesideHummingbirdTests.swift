import EngineIO
import Hummingbird
import HummingbirdWSClient
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import NIOPosix
import ServiceLifecycle
import SocketIO
import SocketIOHummingbird
import Synchronization
import Testing

/// A Hummingbird application with Socket.IO mounted in front of hummingbird-websocket's channel,
/// an ordinary route and a websocket echo route; `body` runs while it serves.
private func withServer(
    configure: (SocketIOServer) -> Void = { _ in },
    _ body: @Sendable (_ port: Int, _ io: SocketIOServer) async throws -> Void
) async throws {
    let io = SocketIOServer(engine: .init(pingInterval: .seconds(5), pingTimeout: .seconds(5)), logger: testLogger)
    configure(io)
    let router = Router()
    router.get("/hello") { _, _ in "world" }
    let port = try await TestServer.freePort()
    let application = Application(
        router: router,
        server: .socketIO(io) { responder in
            HTTP1WebSocketUpgradeChannel(responder: responder, configuration: .init()) { request, _, _ in
                guard request.path == "/echo" else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message { try await outbound.write(.text(text)) }
                    }
                }
            }
        },
        configuration: .init(address: .hostname("127.0.0.1", port: port)),
        logger: testLogger
    )
    try await TestServer.run(application, io, port: port) { port in try await body(port, io) }
}

/// The text messages a websocket client receives until the server closes, after sending `send`
/// one by one as each of `after` arrives (an empty `after` sends at once).
private func talk(to url: String, sending send: [String], stopAfter count: Int) async throws -> (received: [String], close: WebSocketCloseFrame?) {
    let received = Mutex<[String]>([])
    let close = try await WebSocketClient.connect(url: url, logger: testLogger) { inbound, outbound, _ in
        var pending = send[...]
        if let first = pending.popFirst() { try await outbound.write(.text(first)) }
        for try await message in inbound.messages(maxSize: 1 << 16) {
            guard case .text(let text) = message else { continue }
            let total = received.withLock { $0.append(text); return $0.count }
            if let next = pending.popFirst() { try await outbound.write(.text(next)) }
            if total >= count { break }
        }
    }
    return (received.withLock { $0 }, close)
}

@Suite("Socket.IO mounted on Hummingbird beside its own routes")
struct SocketIOBesideHummingbirdTests {
    @Test("An ordinary route, a hummingbird-websocket route and Socket.IO over websocket all work on one server")
    func allThreeWork() async throws {
        try await withServer(configure: { io in
            io.main.onConnection { socket in socket.emit("welcome", .string(socket.handshake.request.remoteAddress?.ipAddress ?? "none")) }
        }) { port, _ in
            let hello = try await LoopbackHTTP.request("http://127.0.0.1:\(port)/hello")
            #expect(hello == (200, "world"))

            let echo = try await talk(to: "ws://127.0.0.1:\(port)/echo", sending: ["ping"], stopAfter: 1)
            #expect(echo.received == ["ping"])

            // Engine.IO open, then Socket.IO CONNECT to `/` and its answer, then the welcome event.
            let socketIO = try await talk(to: "ws://127.0.0.1:\(port)/socket.io/?EIO=4&transport=websocket", sending: ["40"], stopAfter: 3)
            #expect(socketIO.received.count == 3)
            #expect(socketIO.received.first?.hasPrefix("0{\"sid\":") == true)
            #expect(socketIO.received.dropFirst().first?.hasPrefix("40{\"sid\":") == true)
            #expect(socketIO.received.last == #"42["welcome","127.0.0.1"]"#, "the peer's address reached the handler")
        }
    }

    @Test("Polling is answered by Socket.IO before the router, with the peer's address; other paths are the router's")
    func pollingBesideRouter() async throws {
        let addresses = Mutex<[String]>([])
        try await withServer(configure: { io in
            io.main.use { context in addresses.withLock { $0.append(context.handshake.request.remoteAddress?.ipAddress ?? "none") } }
        }) { port, _ in
            let base = "http://127.0.0.1:\(port)/socket.io/?EIO=4&transport=polling"
            let sid = try await PollingClient.open(base)
            try await PollingClient.post(base, sid: sid, "40")
            #expect(try await PollingClient.poll(base, sid: sid).hasPrefix("40{\"sid\":"))
            #expect(addresses.withLock { $0 } == ["127.0.0.1"], "the namespace middleware saw the peer's address")

            #expect(try await LoopbackHTTP.request("http://127.0.0.1:\(port)/socket.io-not/").status == 404)
            let refused = try await LoopbackHTTP.request("http://127.0.0.1:\(port)/socket.io/?EIO=3&transport=polling")
            #expect(refused == (400, #"{"code":5,"message":"Unsupported protocol version"}"#))
        }
    }

    @Test("A graceful shutdown disconnects each socket with 'server shutting down' and closes its websocket 1001")
    func gracefulShutdown() async throws {
        let reasons = Mutex<[SocketIODisconnectReason]>([])
        let connected = Mutex(false)
        try await withServer(configure: { io in
            io.main.onConnection { socket in
                socket.onDisconnect { _, reason in reasons.withLock { $0.append(reason) } }
                connected.withLock { $0 = true }
            }
        }) { port, io in
            async let conversation = talk(to: "ws://127.0.0.1:\(port)/socket.io/?EIO=4&transport=websocket", sending: ["40"], stopAfter: 100)
            for _ in 0..<200 where !connected.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            await io.close()
            let (_, close) = try await conversation
            #expect(close?.closeCode == .goingAway)
            #expect(reasons.withLock { $0 } == [.serverShuttingDown])
            let afterwards = try await LoopbackHTTP.request("http://127.0.0.1:\(port)/socket.io/?EIO=4&transport=polling")
            #expect(afterwards.status == 503, "no new session once closed")
        }
    }
}
