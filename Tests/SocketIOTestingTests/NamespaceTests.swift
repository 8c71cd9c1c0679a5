import EngineIO
import SocketIO
import SocketIOTesting
import Testing

@Suite("SocketIOTestClient: several namespaces on one connection")
struct NamespaceTests {
    /// `/` says which connection a socket is on; `/admin` admits the token `admin` only.
    private func server() -> SocketIOServer {
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.on("connection id") { event in event.ack?(.string(socket.connection.id)) }
        }
        let admin = io.of("/admin")
        admin.use { context in
            guard context.handshake.auth["token"] == "admin" else { throw SocketIOConnectError("admins only", data: ["need": "token"]) }
        }
        admin.onConnection { socket in
            socket.emit("hello admin")
            socket.on("connection id") { event in event.ack?(.string(socket.connection.id)) }
            socket.on("leave") { _ in socket.disconnect() }
        }
        return io
    }

    @Test("namespace(_:auth:) opens a socket on the same Engine.IO connection; events stay in their namespace")
    func multiplexed() async throws {
        let io = self.server()
        let main = try await SocketIOTestClient.connect(to: io)
        let admin = try await main.namespace("/admin", auth: ["token": "admin"])
        #expect(admin.namespace == "/admin")
        #expect(admin.id != main.id)
        #expect(try await main.emitWithAck("connection id") == (try await admin.emitWithAck("connection id")))
        #expect(io.engine.sessionCount == 1)
        _ = try await admin.nextEvent(named: "hello admin")
        #expect(main.receivedEvents.isEmpty, "an event of /admin is not one of /")
    }

    @Test("A refused namespace throws its connect_error and leaves the connection's other sockets connected")
    func refusedNamespace() async throws {
        let io = self.server()
        let main = try await SocketIOTestClient.connect(to: io)
        let error = await #expect(throws: SocketIOTestError.self) { try await main.namespace("admin", auth: ["token": "guest"]) }
        #expect(error?.code == .connectRefused)
        #expect(error?.refusal == SocketIOConnectError("admins only", data: ["need": "token"]))
        #expect(main.isConnected)
        #expect(try await main.emitWithAck("connection id").count == 1)
        // Refused, the namespace can be tried again.
        _ = try await main.namespace("/admin", auth: ["token": "admin"])
    }

    @Test("One namespace's disconnection leaves the others; a namespace has one socket per connection until it leaves")
    func disconnectOne() async throws {
        let io = self.server()
        let main = try await SocketIOTestClient.connect(to: io)
        let admin = try await main.namespace("/admin", auth: ["token": "admin"])
        let again = await #expect(throws: SocketIOTestError.self) { try await main.namespace("/admin", auth: ["token": "admin"]) }
        #expect(again?.code == .alreadyConnected)

        admin.emit("leave")
        #expect(try await admin.disconnected() == .ioServerDisconnect)
        #expect(main.isConnected)
        #expect(try await main.emitWithAck("connection id").count == 1)

        let back = try await main.namespace("/admin", auth: ["token": "admin"])
        _ = try await back.nextEvent(named: "hello admin")
        #expect(admin.receivedEvents.count == 1, "the old socket keeps its own events only")
        back.disconnect()
        main.disconnect()
        #expect(try await main.disconnected(within: .zero) == .ioClientDisconnect)
    }
}
