import EngineIO
import Logging
import SocketIO
import SocketIOTesting
import Synchronization
import Testing

/// A server with connection-state recovery whose `/` sockets join `news` when new, and answer
/// `done` with their `pid`-carrying CONNECT already sent.
private func server(_ recovery: SocketIOConnectionStateRecovery = .init()) -> SocketIOServer {
    let io = SocketIOServer(configuration: SocketIOConfiguration(connectionStateRecovery: recovery), logger: Logger(label: "recovery-tests"))
    io.main.onConnection { socket in
        if !socket.recovered {
            socket.join("news")
            socket.data = ["joined": "news"]
        }
        socket.on("done") { event in event.ack?() }
    }
    return io
}

/// A session that dropped, as a reconnecting official client presents it.
private struct Dropped {
    let id: String
    let pid: String
    let offset: String
    var auth: SocketIOValue { ["pid": .string(self.pid), "offset": .string(self.offset)] }
}

/// Connects, receives one `news` event, and loses its connection (closed under it, as a
/// network drop does): what it reconnects with.
private func connectAndDrop(_ io: SocketIOServer) async throws -> Dropped {
    let client = try await SocketIOTestClient.connect(to: io)
    _ = try await client.emitWithAck("done")
    let socket = try #require(io.main.socket(id: client.id))
    let pid = try #require(socket.privateSessionID)
    await io.to("news").emit("first")
    let offset = try #require(try await client.nextEvent(named: "first").arguments.last?.stringValue, "a recorded event carries its offset last")
    socket.connection.close(reason: .transportClose)
    _ = try await client.disconnected()
    return Dropped(id: client.id, pid: pid, offset: offset)
}

@Suite("Connection-state recovery: a dropped client comes back as the same socket and gets what it missed")
struct SocketIORecoveryTests {
    @Test("Same id, rooms and data; the events it missed arrive after CONNECT, in order, and only those that would have reached it")
    func recovers() async throws {
        let io = server()
        let dropped = try await connectAndDrop(io)
        await io.to("news").emit("second")
        await io.to("sports").emit("not-for-it")
        await io.emit("third")
        await io.except("news").emit("not-for-it-either")

        let client = try await SocketIOTestClient.connect(to: io, auth: dropped.auth)
        #expect(client.id == dropped.id)
        _ = try await client.emitWithAck("done")
        #expect(client.receivedEvents.map(\.name) == ["second", "third"])
        let socket = try #require(io.main.socket(id: dropped.id))
        #expect(socket.recovered)
        #expect(socket.privateSessionID == dropped.pid)
        #expect(socket.rooms == [dropped.id, "news"])
        #expect(socket.data == ["joined": "news"])
        #expect(io.main.recoveryStatistics?.sessions == 0, "a restored session is no longer kept")
    }

    @Test("Events sent to the socket's id while it is away are kept for it; volatile ones are not")
    func ownEmits() async throws {
        let io = server()
        let dropped = try await connectAndDrop(io)
        await io.to(dropped.id).emit("direct")
        await io.volatile.emit("volatile")
        let client = try await SocketIOTestClient.connect(to: io, auth: dropped.auth)
        _ = try await client.emitWithAck("done")
        #expect(client.id == dropped.id)
        #expect(client.receivedEvents.map(\.name) == ["direct"])
    }

    @Test("No recovery, and a new session, for an unknown pid, an offset from elsewhere, a lost event, an expired session, or a deliberate disconnect")
    func refusals() async throws {
        let io = server(SocketIOConnectionStateRecovery(maxDisconnectionDuration: .milliseconds(300), maximumBufferedPackets: 3))
        func reconnect(_ auth: SocketIOValue) async throws -> String {
            try await SocketIOTestClient.connect(to: io, auth: auth).id
        }

        let unknown = try await connectAndDrop(io)
        #expect(try await reconnect(["pid": "no-such-pid", "offset": .string(unknown.offset)]) != unknown.id)

        let foreign = try await connectAndDrop(io)
        #expect(try await reconnect(["pid": .string(foreign.pid), "offset": "elsewhere-7"]) != foreign.id)

        let lost = try await connectAndDrop(io)
        for index in 0..<4 { await io.emit("flood", .int(index)) }
        #expect(try await reconnect(lost.auth) != lost.id, "an event it missed was evicted")
        #expect((io.main.recoveryStatistics?.evictedPackets ?? 0) >= 1)

        let expired = try await connectAndDrop(io)
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await reconnect(expired.auth) != expired.id)

        let client = try await SocketIOTestClient.connect(to: io)
        _ = try await client.emitWithAck("done")
        let pid = try #require(io.main.socket(id: client.id)?.privateSessionID)
        await io.emit("one")
        let offset = try #require(try await client.nextEvent(named: "one").arguments.last?.stringValue)
        client.disconnect()
        for _ in 0..<100 where io.main.socket(id: client.id) != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await reconnect(["pid": .string(pid), "offset": .string(offset)]) != client.id, "a client's own disconnect is final")
    }

    @Test("A recovered socket skips the connection middleware unless skipMiddlewares is off")
    func middleware() async throws {
        for skip in [true, false] {
            let io = server(SocketIOConnectionStateRecovery(skipMiddlewares: skip))
            let admitted = Mutex(0)
            io.main.use { _ in
                // The first connection is admitted; later ones are refused.
                guard admitted.withLock({ count in count += 1; return count == 1 }) else { throw SocketIOConnectError("closed") }
            }
            let dropped = try await connectAndDrop(io)
            if skip {
                #expect(try await SocketIOTestClient.connect(to: io, auth: dropped.auth).id == dropped.id)
            } else {
                let refusal = await #expect(throws: SocketIOTestError.self) { try await SocketIOTestClient.connect(to: io, auth: dropped.auth) }
                #expect(refusal?.refusal?.message == "closed")
            }
        }
    }
}
