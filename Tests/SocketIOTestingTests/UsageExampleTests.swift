import SocketIO
import SocketIOTesting
import Testing

/// The example of `SocketIOTestClient`'s documentation, kept working.
@Suite("SocketIOTestClient: the documented example")
struct UsageExampleTests {
    @Test("greets")
    func greets() async throws {
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.on("hello") { event in
                event.ack?("hi")
                socket.emit("welcome", .string(socket.id))
            }
        }
        let client = try await SocketIOTestClient.connect(to: io, auth: ["token": "secret"])
        #expect(try await client.emitWithAck("hello") == ["hi"])
        let welcome = try await client.nextEvent(named: "welcome")
        #expect(welcome.arguments == [.string(client.id)])
        client.disconnect()
    }
}
