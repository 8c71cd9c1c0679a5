import EngineIO
import Foundation
import NIOCore
import SocketIO

/// The Socket.IO server the official socket.io-client test suite is written against
/// (`packages/socket.io-client/test/support/server.ts` upstream): its namespaces, middleware,
/// events and acknowledgements, on a server with connection-state recovery.
enum SocketIOClientSuite {
    /// Settings of the suite's server: `pingInterval` 2000 ms, Node's other defaults.
    static let engineIOConfiguration = EngineIOConfiguration(path: "/socket.io/", pingInterval: .milliseconds(2000))

    static let configuration = SocketIOConfiguration(connectionStateRecovery: .init())

    static func configureNamespaces(of io: SocketIOServer) {
        io.of("/foo").on("getId") { socket, event in
            event.ack?(.string(socket.id))
        }
        // Namespaces that only need to exist.
        for name in ["/timeout_socket", "/valid", "/asd"] {
            _ = io.of(name)
        }
        io.of("/abc").onConnection { socket in
            socket.emit("handshake", NodeHandshake.value(of: socket.handshake))
        }
        io.main.use { context in
            if context.handshake.query["fail"] != nil {
                throw SocketIOConnectError("Auth failed (main namespace)")
            }
        }
        io.of("/no").use { _ in
            throw SocketIOConnectError("Auth failed (custom namespace)")
        }
        Self.registerEvents(on: io.main)
    }

    /// The main namespace's events. An event the suite does not list is ignored and never
    /// acknowledged: its timeout tests count on the missing answer.
    private static func registerEvents(on main: SocketIONamespace) {
        main.on("hi") { socket, _ in socket.emit("hi") }
        // Node's handler is `(arg, cb) => cb(arg)`: without an argument there is no callback to call.
        main.on("echo") { _, event in
            if let argument = event.arguments.first { event.ack?(argument) }
        }
        // Not acknowledged: the retry test counts the client's tries by the server's `ack` events.
        // The answer is awaited aside, so the socket's next events are handled meanwhile.
        main.on("ack") { socket, _ in
            Task {
                let answer = try? await socket.emitWithAck("ack", arguments: [], timeout: .seconds(60))
                if let answer, answer.first?.intValue == 5, answer.count > 1, answer[1]["test"]?.boolValue == true {
                    socket.emit("got it")
                }
            }
        }
        main.on("getAckDate") { _, event in event.ack?(.string(Self.now())) }
        main.on("getDate") { socket, _ in socket.emit("takeDate", .string(Self.now())) }
        main.on("getDateObj") { socket, _ in socket.emit("takeDateObj", ["date": .string(Self.now())]) }
        main.on("getUtf8") { socket, _ in
            for text in ["てすと", "Я Б Г Д Ж Й", "Ä ä Ü ü ß", "utf8 — string", "utf8 — string"] {
                socket.emit("takeUtf8", .string(text))
            }
        }
        main.on("false") { socket, _ in socket.emit("false", false) }
        main.on("doge") { socket, _ in socket.emit("doge", .binary(ByteBuffer(string: "asdfasdf"))) }
        main.on("getbin") { socket, _ in socket.emit("takebin", .binary(ByteBuffer(string: "asdfasdf"))) }
        main.on("buffa") { socket, event in
            if event.arguments.first?.binaryValue != nil { socket.emit("buffack") }
        }
        main.on("blob") { socket, event in
            if event.arguments.first?.binaryValue != nil { socket.emit("back") }
        }
        main.on("jsonbuff") { socket, event in
            if Self.isMixedJSON(event.arguments.first) { socket.emit("jsonbuff-ack") }
        }
        main.on("jsonblob") { socket, event in
            if Self.isMixedJSON(event.arguments.first) { socket.emit("jsonblob-ack") }
        }
        // Binary and text events must arrive in the order they were sent.
        main.on("abuff1") { socket, event in
            if event.arguments.first?.binaryValue != nil { socket.setAttribute(Received.self, to: ["abuff1"]) }
        }
        main.on("abuff2") { socket, _ in
            if socket.attributes[Received.self]?.contains("abuff1") == true { socket.emit("abuff2-ack") }
        }
        main.on("blob1") { socket, event in
            if event.arguments.first?.binaryValue != nil { socket.setAttribute(Received.self, to: ["blob1"]) }
        }
        main.on("blob2") { socket, event in
            if event.arguments.first?.stringValue == "second", socket.attributes[Received.self] == ["blob1"] {
                socket.setAttribute(Received.self, to: ["blob1", "blob2"])
            }
        }
        main.on("blob3") { socket, event in
            if event.arguments.first?.binaryValue != nil, socket.attributes[Received.self] == ["blob1", "blob2"] {
                socket.emit("blob3-ack")
            }
        }
        main.on("getHandshake") { socket, event in event.ack?(NodeHandshake.value(of: socket.handshake)) }
        main.on("getId") { socket, event in event.ack?(.string(socket.id)) }
    }

    /// The events of an ordered sequence a socket has received so far.
    private enum Received: SocketIOAttributeKey {
        typealias Value = Set<String>
    }

    /// `{hello: "lol", message: <binary>, goodbye: "gotcha"}`.
    private static func isMixedJSON(_ value: SocketIOValue?) -> Bool {
        value?["hello"]?.stringValue == "lol" && value?["message"]?.binaryValue != nil && value?["goodbye"]?.stringValue == "gotcha"
    }

    /// A date as JavaScript's `JSON.stringify(new Date())` writes it.
    static func now() -> String {
        Date.now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
