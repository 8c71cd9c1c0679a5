import EngineIO
import Hummingbird
import HummingbirdCore
import Logging
import SocketIO
import SocketIOHummingbird

/// The server the official socketio/engine.io-protocol and socketio/socket.io-protocol test
/// suites are written against, plus a few events that exercise the rest of the library (rooms,
/// server → client acks, refusals) for interoperability tests with the official clients.
///
/// - `/engine.io/`: raw Engine.IO, every message echoed back unchanged.
/// - `/socket.io/`: Socket.IO. On `/` and `/custom`, each connection gets `auth` with its
///   handshake auth; on `/`, `message` is answered with `message-back` and `message-with-ack`
///   is acknowledged with the same arguments. `/private` refuses clients without the token
///   `letmein`. `/slow-setup` registers its `message` handler 50 ms into its connection handler.
/// - `/stats`: counts of open sessions, sockets and rooms.
public struct ConformanceServer: Sendable {
    public static let engineIOConfiguration = EngineIOConfiguration(
        pingInterval: .milliseconds(300),
        pingTimeout: .milliseconds(200),
        maxPayload: 1_000_000,
        // With credentials: socket.io-client 2.x polls with them by default.
        cors: .init(allowedOrigins: .any, allowCredentials: true)
    )

    public let host: String
    public let port: Int
    public let logger: Logger
    /// permessage-deflate on both endpoints' websockets, for the compression tests (the
    /// protocol suites run without, as against Node's defaults).
    public let perMessageDeflate: EngineIOCompression?
    /// Engine.IO 3 clients (socket.io-client 2.x) accepted on both endpoints, for the tests
    /// with that client (the protocol suites run without, as against Node's defaults).
    public let allowEIO3: Bool

    public init(host: String = "127.0.0.1", port: Int = 3000, perMessageDeflate: EngineIOCompression? = nil, allowEIO3: Bool = false, logger: Logger) {
        self.host = host
        self.port = port
        self.perMessageDeflate = perMessageDeflate
        self.allowEIO3 = allowEIO3
        self.logger = logger
    }

    /// The application, and the Socket.IO server to run beside it (after it, in a service group).
    public func makeApplication() -> (some ApplicationProtocol, SocketIOServer) {
        var socketIOConfiguration = Self.engineIOConfiguration
        socketIOConfiguration.perMessageDeflate = self.perMessageDeflate
        socketIOConfiguration.allowEIO3 = self.allowEIO3
        var echoConfiguration = socketIOConfiguration
        echoConfiguration.path = "/engine.io/"
        let echo = EngineIOServer(configuration: echoConfiguration, logger: self.logger) { _ in EchoDelegate() }

        let io = SocketIOServer(configuration: .init(connectTimeout: .milliseconds(1000)), engine: socketIOConfiguration, logger: self.logger)
        Self.configureNamespaces(of: io)

        let router = Router()
        // What is still allocated, so leak tests can check that closed connections left nothing.
        router.get("stats") { _, _ in
            let main = io.main
            let rooms = (main.adapter as? InMemoryAdapter)?.roomCount ?? -1
            return #"{"engineSessions":\#(echo.sessionCount + io.engine.sessionCount),"sockets":\#(main.socketCount + io.of("/custom").socketCount + io.of("/private").socketCount),"rooms":\#(rooms)}"#
        }
        let application = Application(
            router: router,
            server: .engineIO([echo, io.engine]) { responder in HTTP1Channel(responder: responder) },
            configuration: .init(address: .hostname(self.host, port: self.port), serverName: "paynotify-conformance"),
            logger: self.logger
        )
        return (application, io)
    }

    static func configureNamespaces(of io: SocketIOServer) {
        for namespace in [io.main, io.of("/custom")] {
            namespace.onConnection { socket in
                socket.emit("auth", socket.handshake.auth)
            }
        }
        io.main.onConnection { socket in
            socket.on("message") { event in
                socket.emit("message-back", arguments: event.arguments)
            }
            socket.on("message-with-ack") { event in
                event.ack?.send(event.arguments)
            }
            InteropEvents.register(on: socket, server: io)
        }
        let privateNamespace = io.of("/private")
        privateNamespace.use { context in
            guard context.handshake.auth["token"]?.stringValue == "letmein" else {
                throw SocketIOConnectError("unauthorized", data: ["reason": "missing or wrong token"])
            }
        }
        privateNamespace.onConnection { socket in
            socket.emit("welcome", "private")
        }
        // A connection handler that takes a while before registering the socket's handlers:
        // events sent as soon as the client is connected must still reach them.
        io.of("/slow-setup").onConnection { socket in
            try? await Task.sleep(for: .milliseconds(50))
            socket.on("message") { event in
                socket.emit("message-back", arguments: event.arguments)
            }
        }
    }
}

/// Echoes every Engine.IO message back, text as text and binary as binary.
private struct EchoDelegate: EngineIOSessionDelegate {
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {
        session.send(EngineIOPacket.message(message).frame)
    }

    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
}
