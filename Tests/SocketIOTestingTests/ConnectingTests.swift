import EngineIO
import HTTPTypes
import SocketIO
import SocketIOTesting
import Testing

@Suite("SocketIOTestClient: connecting")
struct ConnectingTests {
    @Test("The CONNECT answer's id is the server's socket id; auth, headers and query reach the handshake")
    func connects() async throws {
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.on("whoami") { event in
                let request = socket.handshake.request
                event.ack?(
                    .string(socket.id),
                    socket.handshake.auth,
                    .string(request.headers[HTTPField.Name("X-Merchant")!] ?? "-"),
                    .string(request.query["booking"] ?? "-"),
                    .string(request.query["EIO"] ?? "-")
                )
            }
        }
        let client = try await SocketIOTestClient.connect(
            to: io,
            auth: ["token": "secret"],
            headers: [HTTPField.Name("X-Merchant")!: "m-1"],
            query: ["booking": "BK-1"]
        )
        #expect(!client.id.isEmpty)
        #expect(client.namespace == "/")
        #expect(client.isConnected)
        let answer = try await client.emitWithAck("whoami")
        #expect(answer == [.string(client.id), ["token": "secret"], "m-1", "BK-1", "4"])
        #expect(io.main.socket(id: client.id) != nil)
    }

    @Test("A middleware's refusal throws with the connect_error's message and data")
    func refused() async throws {
        let io = SocketIOServer()
        io.main.use { context in
            guard context.handshake.auth["token"]?.stringValue == "secret" else {
                throw SocketIOConnectError("unauthorized", data: ["code": 401])
            }
        }
        let error = await #expect(throws: SocketIOTestError.self) {
            try await SocketIOTestClient.connect(to: io, auth: ["token": "wrong"])
        }
        #expect(error?.code == .connectRefused)
        #expect(error?.refusal == SocketIOConnectError("unauthorized", data: ["code": 401]))
        #expect(error?.description.contains("unauthorized") == true, "\(String(describing: error))")
        #expect(io.engine.sessionCount == 0, "a connection left with no socket is closed")
        // The right token is let in.
        _ = try await SocketIOTestClient.connect(to: io, auth: ["token": "secret"])
    }

    @Test("A namespace the server does not have is refused as the server says")
    func unknownNamespace() async throws {
        let io = SocketIOServer()
        let error = await #expect(throws: SocketIOTestError.self) {
            try await SocketIOTestClient.connect(to: io, namespace: "/nowhere")
        }
        #expect(error?.code == .connectRefused)
        #expect(error?.refusal?.message == "Invalid namespace")
    }

    @Test("A middleware that never answers fails the connect at its limit, saying what was awaited")
    func connectTimeout() async throws {
        let io = SocketIOServer()
        // Far beyond the limit: on a loaded machine (the suites run in parallel) a middleware
        // that answers after 2 s could still win the race against a starved 100 ms timer.
        io.main.use { _ in try await Task.sleep(for: .seconds(60)) }
        let error = await #expect(throws: SocketIOTestError.self) {
            try await SocketIOTestClient.connect(to: io, within: .milliseconds(100))
        }
        #expect(error?.code == .timedOut)
        #expect(error?.awaited == "the answer to CONNECT /")
        #expect(error?.limit == .milliseconds(100))
    }

    @Test("Pings are answered: a connection outlives several heartbeats")
    func heartbeat() async throws {
        // Pings every 100 ms, three seconds to answer each: the whole suite runs in parallel on
        // CI's two cores, and CPU-bound tests there have starved the client's reader task for
        // over a second. A client that never answered would be gone after 3.1 s, so 3.5 s
        // connected means its pings were answered.
        let io = SocketIOServer(engine: .init(pingInterval: .milliseconds(100), pingTimeout: .seconds(3)))
        let client = try await SocketIOTestClient.connect(to: io)
        let error = await #expect(throws: SocketIOTestError.self) {
            try await client.disconnected(within: .milliseconds(3_500))
        }
        #expect(error?.code == .timedOut)
        #expect(client.isConnected)
    }
}
