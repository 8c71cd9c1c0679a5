import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix
import ServiceLifecycle
import SocketIO
import SocketIOHummingbird
import Synchronization
import Testing

/// Records, for each of its steps, whether it ran on `eventLoop`: at the start, after an
/// await, and in a child task.
private final class LoopProbe: Service {
    let eventLoop: any EventLoop
    let seen = Mutex<[String: Bool]>([:])

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func run() async throws {
        self.record("start")
        try await Task.sleep(for: .milliseconds(5))
        self.record("after an await")
        await withDiscardingTaskGroup { group in
            group.addTask { self.record("child task") }
        }
    }

    private func record(_ step: String) {
        let onLoop = self.eventLoop.inEventLoop
        self.seen.withLock { $0[step] = onLoop }
    }
}

@Suite("Services run on an event loop")
struct EventLoopServedServiceTests {
    @Test("The service, its awaits' continuations and its child tasks run on the loop")
    func runsOnTheLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let probe = LoopProbe(eventLoop: loop)
        try await EventLoopServedService(probe, on: loop).run()
        #expect(probe.seen.withLock { $0 } == ["start": true, "after an await": true, "child task": true])
    }

    @Test("Without it, the same service runs on Swift's global executor")
    func plainServiceRunsOffTheLoop() async throws {
        let probe = LoopProbe(eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        try await probe.run()
        #expect(probe.seen.withLock { $0 } == ["start": false, "after an await": false, "child task": false])
    }

    @Test("An application run so accepts connections, serves its routes and Socket.IO, and shuts down")
    func applicationServes() async throws {
        let io = SocketIOServer(logger: testLogger)
        let router = Router()
        router.get("/hello") { _, _ in "hello" }
        let port = try await TestServer.freePort()
        let application = Application(
            router: router,
            server: .socketIO(io) { responder in EventLoopServedChannel(HTTP1Channel(responder: responder)) },
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: testLogger
        )
        let served = EventLoopServedService(application, on: application.eventLoopGroup.any())
        let (route, sid) = try await TestServer.run(served, io, port: port) { port in
            let route = try await LoopbackHTTP.request("http://127.0.0.1:\(port)/hello")
            let sid = try await PollingClient.open("http://127.0.0.1:\(port)/socket.io/?EIO=4&transport=polling")
            return (route, sid)
        }
        #expect(route == (200, "hello"))
        #expect(!sid.isEmpty)
    }
}
