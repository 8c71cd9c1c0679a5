import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SocketIO
import SocketIOHummingbird
import Testing

/// A context that keeps the request's channel, so a route can tell which thread it runs on.
private struct ChannelContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// Serves `/where`, which answers whether the route runs on its connection's event loop before
/// and after an await, with `server` built around the Socket.IO server.
private func threadsSeen(
    server: (SocketIOServer) -> HTTPServerBuilder
) async throws -> (status: Int, body: String) {
    let io = SocketIOServer(logger: testLogger)
    let router = Router(context: ChannelContext.self)
    router.get("/where") { _, context in
        let before = context.channel.eventLoop.inEventLoop
        try await Task.sleep(for: .milliseconds(5))
        return "\(before) \(context.channel.eventLoop.inEventLoop)"
    }
    let port = try await TestServer.freePort()
    let application = Application(
        router: router,
        server: server(io),
        configuration: .init(address: .hostname("127.0.0.1", port: port)),
        logger: testLogger
    )
    return try await TestServer.run(application, io, port: port) { port in
        try await LoopbackHTTP.request("http://127.0.0.1:\(port)/where")
    }
}

@Suite("Requests served on their connection's event loop")
struct EventLoopServedChannelTests {
    @Test("A route runs on its connection's event loop, and resumes there after an await")
    func routeRunsOnTheLoop() async throws {
        let answer = try await threadsSeen { io in
            .socketIO(io) { responder in EventLoopServedChannel(HTTP1Channel(responder: responder)) }
        }
        #expect(answer == (200, "true true"))
    }

    @Test("Without it, Hummingbird serves the route on Swift's global executor")
    func plainChannelRunsOffTheLoop() async throws {
        let answer = try await threadsSeen { io in .socketIO(io) }
        #expect(answer == (200, "false false"))
    }
}
