import Foundation
import Hummingbird
import ServiceLifecycle
import SocketIO
import SocketIOHummingbird
import Testing

// The chat server of the DocC article `Sources/SocketIO/SocketIO.docc/GettingStarted.md`, here
// so that it compiles and runs in the tests. The lines between the markers are in the article's
// code exactly, in one piece (`articleShowsIt` checks); the article then runs the pair in a
// `ServiceGroup` with signal handling, as `TestServer.run` does here without the signals.
// GettingStarted begin
struct ChatMessage: Codable, Sendable {
    let room: String
    let text: String
}

func chatServer(address: BindAddress) -> (some ApplicationProtocol, SocketIOServer) {
    let io = SocketIOServer()
    // Connection middleware: a client without a token gets `connect_error`, and no socket.
    io.main.use { context in
        guard context.handshake.auth["token"]?.stringValue != nil else {
            throw SocketIOConnectError("unauthorized")
        }
    }
    io.main.onConnection { socket in
        socket.on("join") { event in
            guard let room = event.arguments.first?.stringValue else { return }
            socket.join(room)
            event.ack?("joined")
        }
        socket.on("chat", as: ChatMessage.self) { message, event in
            // To everyone in the room but the sender; the ack tells the sender it went out.
            await socket.to(message.room).emit("chat", .string(socket.id), .string(message.text))
            event.ack?("delivered")
        }
    }
    let app = Application(router: Router(), server: .socketIO(io), configuration: .init(address: address))
    return (app, io)
}
// GettingStarted end

@Suite("The getting-started article's chat server")
struct GettingStartedExampleTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The article's program: the `swift` code block that declares `chatServer`.
    static func articleCode() throws -> String {
        let article = try String(contentsOf: Self.directory.appendingPathComponent("../../Sources/SocketIO/SocketIO.docc/GettingStarted.md").standardizedFileURL, encoding: .utf8)
        let blocks = article.components(separatedBy: "```swift\n").dropFirst().compactMap { block in
            block.firstRange(of: "```\n").map { block[..<$0.lowerBound] }
        }
        return String(try #require(blocks.first { $0.contains("func chatServer") }, "the article shows no chatServer"))
    }

    @Test("The article shows this file's chat server exactly, in a program under 40 lines")
    func articleShowsIt() throws {
        let source = try String(contentsOf: Self.directory.appendingPathComponent("GettingStartedExampleTests.swift"), encoding: .utf8)
        let example = try #require(source.firstRange(of: "// GettingStarted begin\n").flatMap { begin in
            source.firstRange(of: "// GettingStarted end").map { source[begin.upperBound..<$0.lowerBound] }
        })
        let code = try Self.articleCode()
        #expect(code.contains(example), "the article's code differs from the test's: keep them identical")
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).dropLast().count
        #expect(lines < 40, "the article's program is \(lines) lines")
    }

    @Test("A client without a token is refused; a chat message reaches the room's other sockets, and the sender gets the ack")
    func chatWorks() async throws {
        let port = try await TestServer.freePort()
        let (app, io) = chatServer(address: .hostname("127.0.0.1", port: port))
        try await TestServer.run(app, io, port: port) { port in
            let base = "http://127.0.0.1:\(port)/socket.io/?EIO=4&transport=polling"
            let stranger = try await PollingClient.open(base)
            try await PollingClient.post(base, sid: stranger, "40")
            #expect(try await PollingClient.poll(base, sid: stranger) == #"44{"message":"unauthorized"}"#)

            let alice = try await PollingClient.open(base)
            let bob = try await PollingClient.open(base)
            var socketIDs: [String] = []
            for session in [alice, bob] {
                try await PollingClient.post(base, sid: session, #"40{"token":"t"}"#)
                let connected = try await PollingClient.poll(base, sid: session)
                socketIDs.append(try #require(connected.firstMatch(of: /^40\{"sid":"([^"]+)"\}$/).map { String($0.1) }, "no CONNECT answer: \(connected)"))
                try await PollingClient.post(base, sid: session, #"420["join","lobby"]"#)
                #expect(try await PollingClient.poll(base, sid: session) == #"430["joined"]"#)
            }

            try await PollingClient.post(base, sid: alice, #"421["chat",{"room":"lobby","text":"hello"}]"#)
            // The ack is sent after the broadcast is queued: once Alice has it, Bob has the message.
            #expect(try await PollingClient.poll(base, sid: alice) == #"431["delivered"]"#)
            #expect(try await PollingClient.poll(base, sid: bob) == #"42["chat","\#(socketIDs[0])","hello"]"#)
        }
    }
}
