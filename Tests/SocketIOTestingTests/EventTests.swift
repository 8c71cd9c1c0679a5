import NIOCore
import SocketIO
import SocketIOTesting
import Testing

@Suite("SocketIOTestClient: events and acknowledgements")
struct EventTests {
    @Test("emit reaches the server's handler; emitWithAck returns the server's answer")
    func clientToServer() async throws {
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.on("note") { event in socket.emit("noted", arguments: event.arguments) }
            socket.on("add") { event in
                event.ack?(.int((event.arguments[0].intValue ?? 0) + (event.arguments[1].intValue ?? 0)))
            }
        }
        let client = try await SocketIOTestClient.connect(to: io)
        client.emit("note", "first", ["n": 1])
        #expect(try await client.emitWithAck("add", 2, 3) == [5])
        #expect(try await client.emitWithAck("add", arguments: [10, 20]) == [30])
        #expect(try await client.nextEvent(named: "noted").arguments == ["first", ["n": 1]])
    }

    @Test("A server's emitWithAck is answered through the received event's ack")
    func serverToClient() async throws {
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.on("quiz") { _ in
                let answer = try? await socket.emitWithAck("question", "2+2?", timeout: .seconds(5))
                socket.emit("verdict", answer?.first ?? "no answer")
            }
        }
        let client = try await SocketIOTestClient.connect(to: io)
        client.emit("quiz")
        let question = try await client.nextEvent(named: "question")
        #expect(question.arguments == ["2+2?"])
        let ack = try #require(question.ack, "the server asked for an acknowledgement")
        ack("4")
        ack("5")
        #expect(ack.isSent)
        #expect(try await client.nextEvent(named: "verdict").arguments == ["4"], "only the first answer counts")
    }

    @Test("An event that arrived before the wait is found; other names stay for later; receivedEvents has all")
    func order() async throws {
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.emit("a", 1)
            socket.emit("b", 2)
            socket.emit("a", 3)
            socket.on("sync") { event in event.ack?() }
        }
        let client = try await SocketIOTestClient.connect(to: io)
        _ = try await client.emitWithAck("sync")
        let first = try await client.nextEvent(named: "a")
        #expect(first.arguments == [1])
        #expect(first.ack == nil, "emit asks for no acknowledgement")
        #expect(try await client.nextEvent().name == "b")
        #expect(try await client.nextEvent(named: "a").arguments == [3])
        #expect(client.receivedEvents.map(\.name) == ["a", "b", "a"])
    }

    @Test("Awaiting an event that never comes fails at its limit, naming the event")
    func eventTimeout() async throws {
        let io = SocketIOServer()
        let client = try await SocketIOTestClient.connect(to: io)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: SocketIOTestError.self) {
            try await client.nextEvent(named: "paid", within: .milliseconds(100))
        }
        #expect(clock.now - start < .seconds(2))
        #expect(error?.code == .timedOut)
        #expect(error?.awaited == "event 'paid' on /")
        #expect(error?.description == "timed out awaiting event 'paid' on / (waited 0.1 seconds)")
    }

    @Test("An event the server never acknowledges fails emitWithAck at its timeout")
    func ackTimeout() async throws {
        let io = SocketIOServer()
        io.main.onConnection { socket in socket.on("ignored") { _ in } }
        let client = try await SocketIOTestClient.connect(to: io)
        let error = await #expect(throws: SocketIOTestError.self) {
            try await client.emitWithAck("ignored", timeout: .milliseconds(100))
        }
        #expect(error?.code == .timedOut)
        #expect(error?.awaited == "the acknowledgement of 'ignored' (ack 0) on /")
    }

    @Test("Binary arguments travel as attachments both ways")
    func binary() async throws {
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.on("upload") { event in
                let size = event.arguments.first?.binaryValue?.readableBytes ?? -1
                event.ack?(.int(size))
                socket.emit("download", .binary(ByteBuffer(bytes: [9, 8, 7])), "caption")
            }
        }
        let client = try await SocketIOTestClient.connect(to: io)
        #expect(try await client.emitWithAck("upload", .binary(ByteBuffer(bytes: [1, 2, 3, 4]))) == [4])
        let download = try await client.nextEvent(named: "download")
        #expect(download.arguments == [.binary(ByteBuffer(bytes: [9, 8, 7])), "caption"])
    }

    @Test("Typed arguments decode from the received event")
    func decoding() async throws {
        struct Payment: Codable, Equatable {
            let booking: String
            let amount: Int
        }
        let io = SocketIOServer()
        io.main.onConnection { socket in
            socket.emit("paid", try! SocketIOValue(encoding: Payment(booking: "BK-1", amount: 500)))
        }
        let client = try await SocketIOTestClient.connect(to: io)
        let paid = try await client.nextEvent(named: "paid")
        #expect(try paid.argument(0, as: Payment.self) == Payment(booking: "BK-1", amount: 500))
    }
}
