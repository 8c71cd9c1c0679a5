import EngineIO
import Logging
import SocketIO
import SocketIOTestSupport
import Synchronization
import Testing

/// What listeners saw, in order.
private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])

    func add(_ entry: String) { self.entries.withLock { $0.append(entry) } }
    var all: [String] { self.entries.withLock { $0 } }
}

/// A server whose sockets of `/` get `configure` on connection, plus a `done` listener that
/// acknowledges (see `InProcessClient.sendAndSettle`).
private func connectedClient(_ configure: @escaping @Sendable (SocketIOSocket) -> Void) async -> (SocketIOServer, InProcessClient) {
    let io = SocketIOServer(logger: Logger(label: "listener-tests"))
    io.main.onConnection { socket in
        socket.on("done") { event in event.ack?() }
        configure(socket)
    }
    let (client, answer) = await InProcessClient.connect(to: io.engine)
    #expect(answer.hasPrefix("40{"))
    return (io, client)
}

@Suite("A socket's listeners, as Node's EventEmitter adds and removes them")
struct SocketIOListenerTests {
    @Test("on adds: every listener of an event runs, in order; off removes one by its token, or all of a name")
    func onAddsOffRemoves() async {
        let journal = Journal()
        let tokens = Mutex<[SocketIOListenerToken]>([])
        let (_, client) = await connectedClient { socket in
            let first = socket.on("a") { event in journal.add("first \(event.arguments.map(\.jsonString))") }
            socket.on("a") { _ in journal.add("second") }
            socket.on("b") { _ in journal.add("b") }
            socket.on("remove-first") { _ in socket.off(first) }
            socket.on("remove-b") { _ in socket.off("b") }
            tokens.withLock { $0.append(first) }
        }
        #expect(!(await client.sendAndSettle([#"2["a",1]"#, #"2["b"]"#, #"2["remove-first"]"#, #"2["remove-b"]"#, #"2["a",2]"#, #"2["b"]"#])).isEmpty, "done was not acknowledged")
        #expect(journal.all == [#"first ["1"]"#, "second", "b", "second"])
    }

    @Test("once runs for the next event of its name only")
    func once() async {
        let journal = Journal()
        let (_, client) = await connectedClient { socket in
            socket.once("ping") { event in journal.add("once \(event.arguments.map(\.jsonString))") }
            socket.on("ping") { event in journal.add("on \(event.arguments.map(\.jsonString))") }
        }
        #expect(!(await client.sendAndSettle([#"2["ping",1]"#, #"2["ping",2]"#])).isEmpty, "done was not acknowledged")
        #expect(journal.all == [#"once ["1"]"#, #"on ["1"]"#, #"on ["2"]"#])
    }

    @Test("onAny sees every event before its own listeners; prependAny runs first; offAny removes one or all")
    func catchAll() async {
        let journal = Journal()
        let (_, client) = await connectedClient { socket in
            let second = socket.onAny { event in journal.add("any \(event.name)") }
            socket.prependAny { event in journal.add("prepended \(event.name)") }
            socket.on("x") { _ in journal.add("x") }
            socket.on("drop-one") { _ in socket.offAny(second) }
            socket.on("drop-all") { _ in socket.offAny() }
        }
        #expect(!(await client.sendAndSettle([#"2["x"]"#, #"2["drop-one"]"#, #"2["x"]"#, #"2["drop-all"]"#, #"2["x"]"#])).isEmpty, "done was not acknowledged")
        #expect(journal.all == [
            "prepended x", "any x", "x",
            "prepended drop-one", "any drop-one",
            "prepended x", "x",
            "prepended drop-all",
            "x",
        ])
    }

    @Test("onAnyOutgoing is told of each emit before it is sent, prependAnyOutgoing first; offAnyOutgoing stops it")
    func outgoing() async {
        let journal = Journal()
        let (_, client) = await connectedClient { socket in
            socket.onAnyOutgoing { name, arguments in journal.add("out \(name) \(arguments)") }
            socket.prependAnyOutgoing { name, _ in journal.add("first \(name)") }
            socket.on("say") { _ in socket.emit("hello", "world") }
            socket.on("quiet") { _ in socket.offAnyOutgoing() }
        }
        let written = await client.sendAndSettle([#"2["say"]"#, #"2["quiet"]"#, #"2["say"]"#])
        #expect(!written.isEmpty, "done was not acknowledged")
        #expect(journal.all.count == 2, "told once, nothing once removed: \(journal.all)")
        #expect(journal.all.first == "first hello")
        #expect(journal.all.last?.hasPrefix("out hello") == true)
        #expect(written.filter { $0 == #"42["hello","world"]"# }.count == 2, "both emits were sent")
    }

    @Test("socket.use: middleware run in order before the listeners; one that throws refuses the event and onError hears why")
    func packetMiddleware() async {
        struct Refusal: Error, CustomStringConvertible {
            let event: String
            var description: String { "refused \(self.event)" }
        }
        let journal = Journal()
        let (_, client) = await connectedClient { socket in
            socket.use { event in journal.add("check \(event.name)") }
            socket.use { event in
                if event.name == "secret" { throw Refusal(event: event.name) }
            }
            socket.on("secret") { _ in journal.add("secret handled") }
            socket.on("public") { _ in journal.add("public handled") }
            socket.onError { _, error in journal.add("error \(error)") }
        }
        #expect(!(await client.sendAndSettle([#"2["secret"]"#, #"2["public"]"#])).isEmpty, "done was not acknowledged")
        #expect(journal.all == ["check secret", "error refused secret", "check public", "public handled", "check done"])
    }

    @Test("A namespace's handler for an event runs after the socket's own listeners")
    func namespaceHandlerAfterOwn() async {
        let journal = Journal()
        let io = SocketIOServer(logger: Logger(label: "listener-tests"))
        io.main.on("e") { _, _ in journal.add("namespace") }
        io.main.onConnection { socket in
            socket.on("e") { _ in journal.add("socket") }
            socket.on("done") { event in event.ack?() }
        }
        let (client, _) = await InProcessClient.connect(to: io.engine)
        #expect(!(await client.sendAndSettle([#"2["e"]"#])).isEmpty, "done was not acknowledged")
        #expect(journal.all == ["socket", "namespace"])
    }
}
