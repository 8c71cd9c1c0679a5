import EngineIO
import HTTPTypes
import Logging
import SocketIO
import SocketIOTestSupport
import Synchronization
import Testing

/// A server with connection-state recovery whose `/` sockets join `news` when new, and answer `done`.
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

/// Connects with `auth`; the client and every frame of the server's first write (its CONNECT
/// answer, then the missed events of a recovered session, which may come in the same batch).
private func reconnect(_ io: SocketIOServer, auth: String) async -> (InProcessClient, [String]) {
    let request = EngineIOConnectionRequest(path: io.engine.configuration.path, query: [:], headers: [:], remoteAddress: nil, transport: .websocket)
    let client = InProcessClient(session: io.engine.openInProcessSession(request))
    client.send("0" + auth)
    return (client, await client.texts(count: 1))
}

/// What a CONNECT answer says: `sid` and `pid`.
private func identity(_ answer: String) -> (sid: String, pid: String)? {
    guard answer.hasPrefix("40"), let value = try? SocketIOValue(json: answer.dropFirst(2)),
        let sid = value["sid"]?.stringValue, let pid = value["pid"]?.stringValue
    else { return nil }
    return (sid, pid)
}

/// An event frame's name, and its last argument (the offset of a recorded event).
private func event(_ frame: String) -> (name: String, offset: String?)? {
    guard frame.hasPrefix("42"), let elements = (try? SocketIOValue(json: frame.dropFirst(2)))?.arrayValue,
        let name = elements.first?.stringValue
    else { return nil }
    return (name, elements.count > 1 ? elements.last?.stringValue : nil)
}

/// Connects, receives one `news` event, and loses its connection: the `pid` and the offset it
/// would reconnect with.
private func connectAndDrop(_ io: SocketIOServer) async throws -> (sid: String, pid: String, offset: String) {
    let (client, answer) = await InProcessClient.connect(to: io.engine)
    let (sid, pid) = try #require(identity(answer))
    _ = await client.sendAndSettle([])
    await io.to("news").emit("first")
    let frame = try #require(await client.texts(count: 1).first)
    let offset = try #require(event(frame)?.offset)
    client.session.close(reason: .transportClose)
    return (sid, pid, offset)
}

@Suite("Connection-state recovery: a dropped client comes back as the same socket and gets what it missed")
struct SocketIORecoveryTests {
    @Test("Same id, rooms and data; the events it missed arrive after CONNECT, in order, and only those that would have reached it")
    func recovers() async throws {
        let io = server()
        let (sid, pid, offset) = try await connectAndDrop(io)
        await io.to("news").emit("second")
        await io.to("sports").emit("not-for-it")
        await io.emit("third")
        await io.except("news").emit("not-for-it-either")

        let (client, frames) = await reconnect(io, auth: #"{"pid":"\#(pid)","offset":"\#(offset)"}"#)
        let answer = frames.first ?? ""
        #expect(identity(answer)?.sid == sid && identity(answer)?.pid == pid, "\(answer)")
        var written = frames
        if written.count < 3 { written += await client.texts(count: 3 - written.count) }
        let missed = written.compactMap { event($0)?.name }
        #expect(missed == ["second", "third"])
        let socket = try #require(io.main.socket(id: sid))
        #expect(socket.recovered)
        #expect(socket.rooms == [sid, "news"])
        #expect(socket.data == ["joined": "news"])
        #expect(io.main.recoveryStatistics?.sessions == 0, "a restored session is no longer kept")
    }

    @Test("A socket's own emits are kept for it too; acknowledged and volatile ones are not")
    func ownEmits() async throws {
        let io = server()
        let (sid, pid, offset) = try await connectAndDrop(io)
        // Sent while it is away: the socket is gone, so only the store can carry it.
        await io.to(sid).emit("direct")
        await io.volatile.emit("volatile")
        let (client, frames) = await reconnect(io, auth: #"{"pid":"\#(pid)","offset":"\#(offset)"}"#)
        #expect(identity(frames.first ?? "")?.sid == sid)
        #expect(events(frames + (await client.sendAndSettle([]))) == ["direct"])
    }

    @Test("No recovery, and a new session, for an unknown pid, an offset from elsewhere, a lost event, an expired session, or a deliberate disconnect")
    func refusals() async throws {
        let io = server(SocketIOConnectionStateRecovery(maxDisconnectionDuration: .milliseconds(300), maximumBufferedPackets: 3))
        func reconnect(pid: String, offset: String) async -> String {
            let (_, answer) = await InProcessClient.connect(to: io.engine, auth: #"{"pid":"\#(pid)","offset":"\#(offset)"}"#)
            return identity(answer)?.sid ?? answer
        }

        let unknown = try await connectAndDrop(io)
        #expect(await reconnect(pid: "no-such-pid", offset: unknown.offset) != unknown.sid)

        let foreign = try await connectAndDrop(io)
        #expect(await reconnect(pid: foreign.pid, offset: "elsewhere-7") != foreign.sid)

        let lost = try await connectAndDrop(io)
        for index in 0..<4 { await io.emit("flood", .int(index)) }
        #expect(await reconnect(pid: lost.pid, offset: lost.offset) != lost.sid, "an event it missed was evicted")
        #expect((io.main.recoveryStatistics?.evictedPackets ?? 0) >= 1)

        let expired = try await connectAndDrop(io)
        try await Task.sleep(for: .milliseconds(400))
        #expect(await reconnect(pid: expired.pid, offset: expired.offset) != expired.sid)

        let (client, answer) = await InProcessClient.connect(to: io.engine)
        let deliberate = try #require(identity(answer))
        await io.emit("one")
        let frame = try #require(await client.texts(count: 1).first)
        let offset = try #require(event(frame)?.offset)
        client.send("1")
        for _ in 0..<100 where io.main.socket(id: deliberate.sid) != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await reconnect(pid: deliberate.pid, offset: offset) != deliberate.sid, "a client's own disconnect is final")
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
            let (_, answer) = await InProcessClient.connect(to: io.engine, auth: #"{"pid":"\#(dropped.pid)","offset":"\#(dropped.offset)"}"#)
            if skip {
                #expect(identity(answer)?.sid == dropped.sid, "\(answer)")
            } else {
                #expect(answer == #"44{"message":"closed"}"#)
            }
        }
    }
}

private func events(_ frames: [String]) -> [String] {
    frames.compactMap { event($0)?.name }
}
