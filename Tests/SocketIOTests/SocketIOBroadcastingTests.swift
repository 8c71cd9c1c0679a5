import Foundation
import Logging
import SocketIO
import SocketIOTestSupport
import Synchronization
import Testing

/// A server whose `/` sockets join the rooms their `auth` lists (`{"rooms":["a"]}`) and answer
/// `done` (see `InProcessClient.sendAndSettle`).
private func server(configuration: SocketIOConfiguration = .init()) -> SocketIOServer {
    let io = SocketIOServer(configuration: configuration, logger: Logger(label: "broadcasting-tests"))
    io.main.onConnection { socket in
        if case .array(let rooms)? = socket.handshake.auth["rooms"] {
            socket.join(rooms.compactMap(\.stringValue))
        }
        socket.on("done") { event in event.ack?() }
    }
    return io
}

/// Connects a client in `rooms`; its socket id.
private func join(_ io: SocketIOServer, rooms: [String] = []) async -> (InProcessClient, String) {
    let list = rooms.map { #""\#($0)""# }.joined(separator: ",")
    let (client, answer) = await InProcessClient.connect(to: io.engine, auth: #"{"rooms":[\#(list)]}"#)
    let id = (try? SocketIOValue(json: answer.dropFirst(2)))?["sid"]?.stringValue
    // The connection handler has joined the rooms once `done` is answered.
    _ = await client.sendAndSettle([])
    return (client, id ?? "")
}

/// The events among frames, as `name [arguments]`.
private func events(_ frames: [String]) -> [String] {
    frames.compactMap { frame in
        guard frame.hasPrefix("42"), case .array(let elements)? = try? SocketIOValue(json: frame.dropFirst(2)),
            let name = elements.first?.stringValue
        else { return nil }
        return ([name] + elements.dropFirst().map(\.jsonString)).joined(separator: " ")
    }
}

/// What `client` received within a short wait (everything it was sent, once `done` is answered).
private func received(_ client: InProcessClient) async -> [String] {
    events(await client.sendAndSettle([]))
}

@Suite("Broadcasting: one family of modifiers and emits on the server, namespaces and sockets")
struct SocketIOBroadcastingTests {
    @Test("to and in select rooms, except leaves rooms out, socket.broadcast and socket.to leave the sender out")
    func roomsAndExcept() async {
        let io = server()
        let (a, aID) = await join(io, rooms: ["red"])
        let (b, _) = await join(io, rooms: ["red", "blue"])
        let (c, _) = await join(io, rooms: ["blue"])
        await io.to("red").emit("to-red")
        await io.in("blue").emit("in-blue")
        await io.except("blue").emit("not-blue")
        await io.to("red", "blue").except("red").emit("blue-only")
        let sender = io.main.socket(id: aID)
        await sender?.broadcast.emit("from-a")
        await sender?.to("red").emit("a-to-red")
        await sender?.except("blue").emit("a-except-blue")
        #expect(await received(a) == ["to-red", "not-blue"])
        #expect(await received(b) == ["to-red", "in-blue", "from-a", "a-to-red"])
        #expect(await received(c) == ["in-blue", "blue-only", "from-a"])
    }

    @Test("Encodable values are sent as their JSON, from the server, a room and a socket")
    func encodable() async throws {
        struct Seat: Codable, Equatable { let row: Int; let letter: String }
        let io = server()
        let (client, id) = await join(io, rooms: ["plane"])
        try await io.emit("seat", encoding: Seat(row: 3, letter: "C"), 2)
        try await io.to("plane").emit("seats", encoding: [Seat(row: 1, letter: "A")])
        try io.main.socket(id: id)?.emit("mine", encoding: Seat(row: 7, letter: "F"), "note")
        let frames = await client.sendAndSettle([]).filter { $0.hasPrefix("42") }
        let packets = try frames.map { try #require(SocketIOValue(json: $0.dropFirst(2)).arrayValue) }
        try #require(packets.count == 3)
        #expect(packets[0][0] == "seat" && packets[0][2] == 2)
        #expect(try packets[0][1].decode(as: Seat.self) == Seat(row: 3, letter: "C"))
        #expect(try packets[1][1].decode(as: [Seat].self) == [Seat(row: 1, letter: "A")])
        #expect(packets[2][0] == "mine" && packets[2][2] == "note")
        #expect(try packets[2][1].decode(as: Seat.self) == Seat(row: 7, letter: "F"))
    }

    @Test("A volatile emit is dropped for a connection that is not waiting for frames, and sent to one that is")
    func volatile() async {
        let io = server()
        let (client, id) = await join(io)
        // Nobody reads the in-process connection now: nothing is waiting for frames.
        await io.volatile.emit("dropped")
        io.main.socket(id: id)?.volatile.emit("dropped-too")
        await io.emit("kept")
        #expect(await received(client) == ["kept"])

        // Now a read is waiting: a volatile emit gets through (tried until the read has started).
        let reader = Task { events(await client.texts(count: 1, within: .seconds(3))) }
        for attempt in 0..<30 {
            try? await Task.sleep(for: .milliseconds(20))
            await io.volatile.emit("fresh", .int(attempt))
        }
        let got = await reader.value
        #expect(got.count == 1 && got[0].hasPrefix("fresh"), "\(got)")
    }

    @Test("A broadcast's emitWithAck collects every socket's answer, and says who did not answer in time")
    func broadcastAcks() async throws {
        let io = server()
        let (a, _) = await join(io, rooms: ["quiz"])
        let (b, _) = await join(io, rooms: ["quiz"])
        let (silent, _) = await join(io)

        // Each client answers the question it is asked with its own name.
        let asked = Task { try await io.to("quiz").timeout(.seconds(3)).emitWithAck("question", "2+2?") }
        for (client, name) in [(a, "a"), (b, "b")] {
            let frames = await client.texts(count: 1)
            let ackID = try #require(frames.first.flatMap { $0.dropFirst(2).prefix { $0.isNumber } }.map(String.init))
            #expect(frames.first == #"42\#(ackID)["question","2+2?"]"#)
            client.send(#"3\#(ackID)["\#(name)",4]"#)
        }
        let answers = try await asked.value
        #expect(answers.compactMap(\.stringValue).sorted() == ["a", "b"], "only each answer's first argument")

        let everyone = Task { try await io.timeout(.milliseconds(300)).emitWithAck("roll-call") }
        let frame = await a.texts(count: 1).first ?? ""
        a.send("3\(frame.dropFirst(2).prefix { $0.isNumber })[\"here\"]")
        _ = await b.texts(count: 1)
        _ = await silent.texts(count: 1)
        await #expect(throws: SocketIOAckTimeoutError(responses: ["here"], missing: 2)) { try await everyone.value }
    }

    @Test("socket.timeout(_:).emitWithAck fails with .timeout when the client does not answer")
    func socketTimeout() async {
        let io = server()
        let (_, id) = await join(io)
        let socket = io.main.socket(id: id)
        await #expect(throws: SocketIOAckError.timeout) {
            try await socket?.timeout(.milliseconds(100)).emitWithAck("are-you-there")
        }
    }
}
