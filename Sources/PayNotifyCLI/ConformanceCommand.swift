import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import EngineIO
import SocketIO
import SocketIOConformance

struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the example server the official Engine.IO / Socket.IO test suites expect.",
        discussion: """
            --suite protocol (the default): the socketio/engine.io-protocol and socket.io-protocol suites' \
            server: raw Engine.IO echo at /engine.io/, Socket.IO at /socket.io/, pingInterval 300 ms, pingTimeout 200 ms.
            --suite client: the engine.io-client and socket.io-client test suites' servers: raw Engine.IO at \
            /engine.io/ (pingInterval 500 ms, maxPayload 100), Socket.IO with connection-state recovery at \
            /socket.io/ (pingInterval 2000 ms).
            """
    )

    enum Suite: String, ExpressibleByArgument, CaseIterable {
        /// The official protocol suites (socketio/engine.io-protocol, socketio/socket.io-protocol).
        case `protocol`
        /// The official clients' own test suites (engine.io-client, socket.io-client).
        case client
    }

    @Option(help: "Which test suites' server to run.")
    var suite: Suite = .protocol

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 3000

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: Logger.Level = .info

    @Flag(help: "Offer permessage-deflate on websockets (messages over 1 KB compressed).")
    var perMessageDeflate = false

    @Flag(name: .customLong("allow-eio3"), help: "Accept Engine.IO 3 clients (socket.io-client 2.x) too (protocol suite server).")
    var allowEIO3 = false

    func run() async throws {
        var logger = Logger(label: "paynotify.conformance")
        logger.logLevel = self.logLevel
        let perMessageDeflate = self.perMessageDeflate ? EngineIOCompression() : nil
        switch self.suite {
        case .protocol:
            let (application, io) = ConformanceServer(host: self.host, port: self.port, perMessageDeflate: perMessageDeflate, allowEIO3: self.allowEIO3, logger: logger).makeApplication()
            try await Self.run(application, io, logger: logger)
        case .client:
            let (application, io) = ClientSuiteServer(host: self.host, port: self.port, perMessageDeflate: perMessageDeflate, logger: logger).makeApplication()
            try await Self.run(application, io, logger: logger)
        }
    }

    /// The Socket.IO server after the application: it is shut down first, so its sessions close
    /// before the HTTP server stops.
    private static func run(_ application: some Service, _ io: SocketIOServer, logger: Logger) async throws {
        let services = ServiceGroup(configuration: .init(services: [application, io], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
