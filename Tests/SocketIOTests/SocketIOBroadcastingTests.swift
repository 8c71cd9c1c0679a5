import Foundation
import Logging
import SocketIO
import SocketIOTesting
import Testing

/// A server whose `/` sockets join the rooms their `auth` lists (`{"rooms":["a"]}`) and answer
/// `done`.
private func server() -> SocketIOServer {
    let io = SocketIOServer(logger: Logger(label: "broadcasting-tests"))
    io.main.onConnection { socket in
        if case .array(let rooms)? = socket.handshake.auth["rooms"] {
            socket.join(rooms.compactMap(\.stringValue))
        }
        socket.on("done") { event in event.ack?() }
    }
    return io
}

/// A client in `rooms`, once its connection handler has joined them.
private func join(_ io: SocketIOServer, rooms: [String] = []) async throws -> SocketIOTestClient {
    let client = try await SocketIOTestClient.connect(to: io, auth: ["rooms": .array(rooms.map { .string($0) })])
    try await client.settle()
    return client
}

extension SocketIOTestClient {
    /// Waits for `done`'s acknowledgement: what the server sent before it has arrived by then.
    fileprivate func settle() async throws {
        _ = try await self.emitWithAck("done")
    }

    /// The names of the events received so far, once what was sent before has arrived.
    fileprivate func received() async throws -> [String] {
        try await self.settle()
        return self.receivedEvents.map(\.name)
    }
}

@Suite("Broadcasting: one family of modifiers and emits on the server, namespaces and sockets")
struct SocketIOBroadcastingTests {
    @Test("to and in select rooms, except leaves rooms out, socket.broadcast, socket.to and socket.except leave the sender out")
    func roomsAndExcept() async throws {
        let io = server()
        let a = try await join(io, rooms: ["red"])
        let b = try await join(io, rooms: ["red", "blue"])
        let c = try await join(io, rooms: ["blue"])
        await io.to("red").emit("to-red")
        await io.in("blue").emit("in-blue")
        await io.except("blue").emit("not-blue")
        await io.to("red", "blue").except("red").emit("blue-only")
        let sender = try #require(io.main.socket(id: a.id))
        await sender.broadcast.emit("from-a")
        await sender.to("red").emit("a-to-red")
        await sender.except("blue").emit("a-except-blue")
        #expect(try await a.received() == ["to-red", "not-blue"])
        #expect(try await b.received() == ["to-red", "in-blue", "from-a", "a-to-red"])
        #expect(try await c.received() == ["in-blue", "blue-only", "from-a"])
    }

    @Test("local reaches this node's sockets; a namespace's emit only its own sockets")
    func localAndNamespaces() async throws {
        let io = server()
        let main = try await join(io)
        _ = io.of("/other")
        let other = try await SocketIOTestClient.connect(to: io, namespace: "/other")
        await io.local.emit("local")
        await io.of("/other").emit("other")
        #expect(try await main.received() == ["local"])
        #expect(try await other.nextEvent().name == "other")
        #expect(other.receivedEvents.map(\.name) == ["other"])
    }

    @Test("Encodable values are sent as their JSON, from the server, a room and a socket")
    func encodable() async throws {
        struct Seat: Codable, Equatable { let row: Int; let letter: String }
        let io = server()
        let client = try await join(io, rooms: ["plane"])
        try await io.emit("seat", encoding: Seat(row: 3, letter: "C"), 2)
        try await io.to("plane").emit("seats", encoding: [Seat(row: 1, letter: "A")])
        try io.main.socket(id: client.id)?.emit("mine", encoding: Seat(row: 7, letter: "F"), "note")
        let seat = try await client.nextEvent(named: "seat")
        #expect(try seat.argument(0, as: Seat.self) == Seat(row: 3, letter: "C"))
        #expect(seat.arguments[1] == 2)
        #expect(try await client.nextEvent(named: "seats").argument(0, as: [Seat].self) == [Seat(row: 1, letter: "A")])
        let mine = try await client.nextEvent(named: "mine")
        #expect(try mine.argument(0, as: Seat.self) == Seat(row: 7, letter: "F"))
        #expect(mine.arguments[1] == "note")
    }

    @Test("A volatile emit reaches a client that is reading; one from a socket too")
    func volatileDelivered() async throws {
        let io = server()
        let client = try await join(io)
        // The test client always has a read waiting, as a websocket that keeps up does; a
        // volatile emit may still meet the moment between two reads, so a few are sent.
        for attempt in 0..<20 {
            await io.volatile.emit("fresh", .int(attempt))
            try await Task.sleep(for: .milliseconds(5))
        }
        for attempt in 0..<20 {
            io.main.socket(id: client.id)?.volatile.emit("own", .int(attempt))
            try await Task.sleep(for: .milliseconds(5))
        }
        let names = Set(try await client.received())
        #expect(names == ["fresh", "own"])
    }

    @Test("A broadcast's emitWithAck collects every socket's answer, and says how many did not answer in time")
    func broadcastAcks() async throws {
        let io = server()
        let a = try await join(io, rooms: ["quiz"])
        let b = try await join(io, rooms: ["quiz"])
        let silent = try await join(io)

        let asked = Task { try await io.to("quiz").timeout(.seconds(3)).emitWithAck("question", "2+2?") }
        for (client, name) in [(a, "a"), (b, "b")] {
            let question = try await client.nextEvent(named: "question")
            #expect(question.arguments == ["2+2?"])
            question.ack?(.string(name), 4)
        }
        let answers = try await asked.value
        #expect(answers.compactMap(\.stringValue).sorted() == ["a", "b"], "only each answer's first argument")

        let everyone = Task { try await io.timeout(.milliseconds(300)).emitWithAck("roll-call") }
        try await a.nextEvent(named: "roll-call").ack?("here")
        _ = try await b.nextEvent(named: "roll-call")
        _ = try await silent.nextEvent(named: "roll-call")
        await #expect(throws: SocketIOAckTimeoutError(responses: ["here"], missing: 2)) { try await everyone.value }
    }

    @Test("socket.timeout(_:).emitWithAck fails with .timeout when the client does not answer")
    func socketTimeout() async throws {
        let io = server()
        let client = try await join(io)
        let socket = try #require(io.main.socket(id: client.id))
        await #expect(throws: SocketIOAckError.timeout) {
            try await socket.timeout(.milliseconds(100)).emitWithAck("are-you-there")
        }
    }
}
