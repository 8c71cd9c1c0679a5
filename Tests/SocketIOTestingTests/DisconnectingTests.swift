import EngineIO
import SocketIO
import SocketIOTesting
import Testing

/// A server whose sockets of `/` announce, to the others, how each one left.
private func announcingServer() -> SocketIOServer {
    let io = SocketIOServer()
    // The namespace's handler, not the socket's: a socket's own, added by a connection
    // handler, would miss a disconnection that comes before that handler has run.
    io.main.onDisconnecting { socket, reason in
        Task { await socket.namespace.emit("left", .string(socket.id), .string(reason.rawValue)) }
    }
    io.main.onConnection { socket in
        socket.on("kick me") { _ in socket.disconnect() }
        socket.on("kick me later") { _ in
            try? await Task.sleep(for: .milliseconds(50))
            socket.disconnect()
        }
        socket.on("drop me") { _ in socket.disconnect(closeConnection: true) }
    }
    return io
}

@Suite("SocketIOTestClient: disconnecting")
struct DisconnectingTests {
    @Test("The server's socket.disconnect() is seen as io server disconnect; waits on the socket then fail at once")
    func serverDisconnect() async throws {
        let io = announcingServer()
        let client = try await SocketIOTestClient.connect(to: io)
        client.emit("kick me")
        #expect(try await client.disconnected() == .ioServerDisconnect)
        #expect(!client.isConnected)
        #expect(try await client.disconnected(within: .zero) == .ioServerDisconnect, "the disconnection stays")
        let error = await #expect(throws: SocketIOTestError.self) {
            try await client.nextEvent(named: "anything", within: .seconds(5))
        }
        #expect(error?.code == .disconnected)
        #expect(error?.reason == .ioServerDisconnect)
        let ack = await #expect(throws: SocketIOTestError.self) { try await client.emitWithAck("anything") }
        #expect(ack?.code == .disconnected)
    }

    @Test("A wait under way when the server disconnects the socket fails with the reason")
    func disconnectDuringWait() async throws {
        let io = announcingServer()
        let client = try await SocketIOTestClient.connect(to: io)
        // The server waits a little before it disconnects, so the wait is usually under way by
        // then; were it not, it would fail the same way, on the disconnection already received.
        client.emit("kick me later")
        let error = await #expect(throws: SocketIOTestError.self) { try await client.nextEvent(named: "never", within: .seconds(5)) }
        #expect(error?.code == .disconnected)
        #expect(error?.awaited == "event 'never' on /")
    }

    @Test("A closed connection is transport close, after the DISCONNECT when there was one")
    func connectionClosed() async throws {
        let io = announcingServer()
        let kicked = try await SocketIOTestClient.connect(to: io)
        kicked.emit("drop me")
        #expect(try await kicked.disconnected() == .ioServerDisconnect)

        let stopped = try await SocketIOTestClient.connect(to: io)
        await io.close()
        #expect(try await stopped.disconnected() == .transportClose)
        let error = await #expect(throws: SocketIOTestError.self) { try await stopped.namespace("/") }
        #expect(error?.code == .disconnected)
    }

    @Test("disconnect() sends DISCONNECT: the server sees client namespace disconnect")
    func clientDisconnect() async throws {
        let io = announcingServer()
        let observer = try await SocketIOTestClient.connect(to: io)
        let leaving = try await SocketIOTestClient.connect(to: io)
        leaving.disconnect()
        #expect(!leaving.isConnected)
        #expect(try await leaving.disconnected(within: .zero) == .ioClientDisconnect)
        #expect(io.engine.sessionCount == 1, "its last socket gone, the connection is closed")
        let left = try await observer.nextEvent(named: "left")
        #expect(left.arguments == [.string(leaving.id), "client namespace disconnect"])
    }
}
