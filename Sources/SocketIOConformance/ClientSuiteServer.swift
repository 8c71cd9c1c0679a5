import EngineIO
import Hummingbird
import HummingbirdCore
import Logging
import SocketIO
import SocketIOHummingbird

/// The servers the official JavaScript clients' own test suites are written against, on one
/// port, each with its own settings:
///
/// - `/socket.io/`: the socket.io-client suite's Socket.IO server (`SocketIOClientSuite`):
///   connection-state recovery, `pingInterval` 2000 ms, handshakes admitted after 10 ms.
/// - `/engine.io/`: the engine.io-client suite's raw Engine.IO server (`EngineIOClientSuite`):
///   `pingInterval` 500 ms, `maxPayload` 100, cookies on the handshake, `deny` refused.
/// - `/stats`: counts of open sessions and sockets.
public struct ClientSuiteServer: Sendable {
    public let host: String
    public let port: Int
    public let logger: Logger
    /// permessage-deflate on both endpoints' websockets (the suites' servers run without, as
    /// Node's default is).
    public let perMessageDeflate: EngineIOCompression?

    public init(host: String = "127.0.0.1", port: Int = 3210, perMessageDeflate: EngineIOCompression? = nil, logger: Logger) {
        self.host = host
        self.port = port
        self.perMessageDeflate = perMessageDeflate
        self.logger = logger
    }

    /// The application, and the Socket.IO server to run beside it (after it, in a service group).
    public func makeApplication() -> (some ApplicationProtocol, SocketIOServer) {
        var rawConfiguration = EngineIOClientSuite.configuration
        rawConfiguration.perMessageDeflate = self.perMessageDeflate
        let raw = EngineIOServer(configuration: rawConfiguration, logger: self.logger, admission: EngineIOClientSuite.DenyPolicy()) { session in
            EngineIOClientSuite.Delegate(session: session)
        }
        var socketIOConfiguration = SocketIOClientSuite.engineIOConfiguration
        socketIOConfiguration.perMessageDeflate = self.perMessageDeflate
        let io = SocketIOServer(configuration: SocketIOClientSuite.configuration, engine: socketIOConfiguration, logger: self.logger)
        SocketIOClientSuite.configureNamespaces(of: io)

        let router = Router()
        router.get("stats") { _, _ in
            #"{"engineSessions":\#(raw.sessionCount + io.engine.sessionCount),"rawEngineSessions":\#(raw.sessionCount),"sockets":\#(io.main.socketCount)}"#
        }
        let hooks = ClientSuiteHooks(raw: raw, socketIO: io.engine)
        let server = HTTPServerBuilder { responder in
            // What `.engineIO([raw, io.engine])` builds, behind the websocket handshakes' delay.
            WebSocketHandshakeDelayChannel(
                base: EngineIOHTTPChannel(servers: [raw, io.engine], maximumHeadBytes: HTTP1Channel.Configuration().httpDecoder.maxHeaderListSize, responder: responder) { responder in
                    HTTP1Channel(responder: hooks.wrapping(responder))
                },
                path: io.engine.configuration.path,
                delay: ClientSuiteHooks.admissionDelay
            )
        }
        let application = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(self.host, port: self.port), serverName: "paynotify-client-suite"),
            logger: self.logger
        )
        return (application, io)
    }
}
