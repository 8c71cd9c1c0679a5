import Logging
import SocketIO
import SocketIOTesting
import Synchronization
import Testing

/// What listeners saw, in order.
private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])

    func add(_ entry: String) { self.entries.withLock { $0.append(entry) } }
    var all: [String] { self.entries.withLock { $0 } }
}

/// A server whose sockets of `/` get `configure` on connection, plus a `done` listener that
/// acknowledges (see `settle`), and a client connected to it.
private func connectedClient(_ configure: @escaping @Sendable (SocketIOSocket) -> Void) async throws -> SocketIOTestClient {
    let io = SocketIOServer(logger: Logger(label: "listener-tests"))
    io.main.onConnection { socket in
        socket.on("done") { event in event.ack?() }
        configure(socket)
    }
    return try await SocketIOTestClient.connect(to: io)
}

extension SocketIOTestClient {
    /// Waits for the acknowledgement of a `done` event: a socket's handlers run in order, so
    /// every event sent before has been handled by then.
    fileprivate func settle() async throws {
        _ = try await self.emitWithAck("done")
    }
}

@Suite("A socket's listeners, as Node's EventEmitter adds and removes them")
struct SocketIOListenerTests {
    @Test("on adds: every listener of an event runs, in order; off removes one by its token, or all of a name")
    func onAddsOffRemoves() async throws {
        let journal = Journal()
        let tokens = Mutex<[SocketIOListenerToken]>([])
        let client = try await connectedClient { socket in
            let first = socket.on("a") { event in journal.add("first \(event.arguments.map(\.jsonString))") }
            socket.on("a") { _ in journal.add("second") }
            socket.on("b") { _ in journal.add("b") }
            socket.on("remove-first") { _ in socket.off(first) }
            socket.on("remove-b") { _ in socket.off("b") }
            tokens.withLock { $0.append(first) }
        }
        client.emit("a", 1)
        client.emit("b")
        client.emit("remove-first")
        client.emit("remove-b")
        client.emit("a", 2)
        client.emit("b")
        try await client.settle()
        #expect(journal.all == [#"first ["1"]"#, "second", "b", "second"])
    }

    @Test("once runs for the next event of its name only")
    func once() async throws {
        let journal = Journal()
        let client = try await connectedClient { socket in
            socket.once("ping") { event in journal.add("once \(event.arguments.map(\.jsonString))") }
            socket.on("ping") { event in journal.add("on \(event.arguments.map(\.jsonString))") }
        }
        client.emit("ping", 1)
        client.emit("ping", 2)
        try await client.settle()
        #expect(journal.all == [#"once ["1"]"#, #"on ["1"]"#, #"on ["2"]"#])
    }

    @Test("onAny sees every event before its own listeners; prependAny runs first; offAny removes one or all")
    func catchAll() async throws {
        let journal = Journal()
        let client = try await connectedClient { socket in
            let second = socket.onAny { event in journal.add("any \(event.name)") }
            socket.prependAny { event in journal.add("prepended \(event.name)") }
            socket.on("x") { _ in journal.add("x") }
            socket.on("drop-one") { _ in socket.offAny(second) }
            socket.on("drop-all") { _ in socket.offAny() }
        }
        client.emit("x")
        client.emit("drop-one")
        client.emit("x")
        client.emit("drop-all")
        client.emit("x")
        try await client.settle()
        #expect(journal.all == [
            "prepended x", "any x", "x",
            "prepended drop-one", "any drop-one",
            "prepended x", "x",
            "prepended drop-all",
            "x",
        ])
    }

    @Test("onAnyOutgoing is told of each emit before it is sent, prependAnyOutgoing first; offAnyOutgoing stops it")
    func outgoing() async throws {
        let journal = Journal()
        let client = try await connectedClient { socket in
            socket.onAnyOutgoing { name, arguments in journal.add("out \(name) \(arguments)") }
            socket.prependAnyOutgoing { name, _ in journal.add("first \(name)") }
            socket.on("say") { _ in socket.emit("hello", "world") }
            socket.on("quiet") { _ in socket.offAnyOutgoing() }
        }
        client.emit("say")
        client.emit("quiet")
        client.emit("say")
        try await client.settle()
        #expect(journal.all.count == 2, "told once, nothing once removed: \(journal.all)")
        #expect(journal.all.first == "first hello")
        #expect(journal.all.last?.hasPrefix("out hello") == true)
        #expect(client.receivedEvents.filter { $0.name == "hello" && $0.arguments == ["world"] }.count == 2, "both emits were sent")
    }

    @Test("socket.use: middleware run in order before the listeners; one that throws refuses the event and onError hears why")
    func packetMiddleware() async throws {
        struct Refusal: Error, CustomStringConvertible {
            let event: String
            var description: String { "refused \(self.event)" }
        }
        let journal = Journal()
        let client = try await connectedClient { socket in
            socket.use { event in journal.add("check \(event.name)") }
            socket.use { event in
                if event.name == "secret" { throw Refusal(event: event.name) }
            }
            socket.on("secret") { _ in journal.add("secret handled") }
            socket.on("public") { _ in journal.add("public handled") }
            socket.onError { _, error in journal.add("error \(error)") }
        }
        client.emit("secret")
        client.emit("public")
        try await client.settle()
        #expect(journal.all == ["check secret", "error refused secret", "check public", "public handled", "check done"])
    }

    @Test("A namespace's handler for an event runs after the socket's own listeners")
    func namespaceHandlerAfterOwn() async throws {
        let journal = Journal()
        let io = SocketIOServer(logger: Logger(label: "listener-tests"))
        io.main.on("e") { _, _ in journal.add("namespace") }
        io.main.onConnection { socket in
            socket.on("e") { _ in journal.add("socket") }
            socket.on("done") { event in event.ack?() }
        }
        let client = try await SocketIOTestClient.connect(to: io)
        client.emit("e")
        try await client.settle()
        #expect(journal.all == ["socket", "namespace"])
    }
}
