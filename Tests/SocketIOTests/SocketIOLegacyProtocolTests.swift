import EngineIO
import HTTPTypes
import Logging
import NIOCore
import SocketIO
import Testing

/// Socket.IO protocol 4, what socket.io-client 2.x speaks over Engine.IO 3: checked packet by
/// packet on an in-process session (the real client runs in the integration tests).
@Suite("Socket.IO protocol 4 clients (Engine.IO 3)")
struct SocketIOLegacyProtocolTests {
    private static func server() -> SocketIOServer {
        let io = SocketIOServer(engine: EngineIOConfiguration(allowEIO3: true), logger: Logger(label: "legacy-tests"))
        io.main.onConnection { socket in
            socket.on("whoami") { event in event.ack?(.string(socket.id)) }
        }
        io.of("/private").use { context in
            guard context.handshake.auth["token"]?.stringValue == "letmein" else {
                throw SocketIOConnectError("unauthorized")
            }
        }
        io.of("/private").onConnection { socket in
            socket.emit("welcome", socket.handshake.auth)
        }
        io.of("/detailed").use { _ in throw SocketIOConnectError("unauthorized", data: ["retry": 5]) }
        return io
    }

    private static func open(_ io: SocketIOServer, revision: String = "3") -> EngineIOSession {
        io.engine.openInProcessSession(EngineIOConnectionRequest(path: "/socket.io/", query: ["EIO": revision, "transport": "polling"], headers: [:], remoteAddress: nil, transport: .polling))
    }

    /// The next `count` text packets the server writes (Engine.IO type digit dropped), within 5 s.
    private static func texts(_ session: EngineIOSession, count: Int) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            group.addTask {
                var texts: [String] = []
                while texts.count < count, let frames = await session.nextFrames() {
                    for case .text(let bytes) in frames { texts.append(String(String(buffer: bytes).dropFirst())) }
                }
                return texts
            }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                throw CancellationError()
            }
            defer { group.cancelAll() }
            return try #require(try await group.next())
        }
    }

    @Test("The default namespace is connected without a CONNECT, answered with a bare 0, the socket id being the session id")
    func defaultNamespace() async throws {
        let io = Self.server()
        let session = Self.open(io)
        #expect(try await Self.texts(session, count: 1) == ["0"])
        session.receiveInProcess(.message(.text(#"21["whoami"]"#)))
        #expect(try await Self.texts(session, count: 1) == [#"31["\#(session.id)"]"#])
        #expect(io.main.socket(id: session.id) != nil)
        session.close()
    }

    @Test("A namespace's query is its handshake auth; its socket id is namespace#session")
    func namespaceQueryIsAuth() async throws {
        let io = Self.server()
        let session = Self.open(io)
        _ = try await Self.texts(session, count: 1)
        session.receiveInProcess(.message(.text("0/private?token=letmein&shop=s%201,")))
        #expect(try await Self.texts(session, count: 2) == ["0/private,", #"2/private,["welcome",{"shop":"s 1","token":"letmein"}]"#])
        #expect(io.of("/private").socket(id: "/private#\(session.id)") != nil)
        session.close()
    }

    @Test("A refusal is the plain message, or the data when the middleware gave some, as Node sends them")
    func refusals() async throws {
        let io = Self.server()
        let session = Self.open(io)
        _ = try await Self.texts(session, count: 1)
        session.receiveInProcess(.message(.text("0/private?token=nope,")))
        #expect(try await Self.texts(session, count: 1) == [#"4/private,"unauthorized""#])
        session.receiveInProcess(.message(.text("0/detailed,")))
        #expect(try await Self.texts(session, count: 1) == [#"4/detailed,{"retry":5}"#])
        session.receiveInProcess(.message(.text("0/nowhere,")))
        #expect(try await Self.texts(session, count: 1) == [#"4/nowhere,{"message":"Invalid namespace"}"#])
        session.close()
    }

    @Test("An Engine.IO 4 session is unchanged: no CONNECT until asked, then one with a random sid")
    func currentClientsUnchanged() async throws {
        let io = Self.server()
        let session = Self.open(io, revision: "4")
        session.receiveInProcess(.message(.text("0")))
        let answer = try #require(try await Self.texts(session, count: 1).first)
        #expect(answer.hasPrefix(#"0{"sid":""#))
        #expect(!answer.contains(session.id), "the socket id is never the session id")
        session.close()
    }
}
