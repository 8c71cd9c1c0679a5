import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import EngineIO
import SocketIOConformance

struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the example server the official Engine.IO / Socket.IO protocol test suites expect.",
        discussion: "Raw Engine.IO echo at /engine.io/, Socket.IO at /socket.io/, pingInterval 300 ms, pingTimeout 200 ms."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 3000

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: Logger.Level = .info

    @Flag(help: "Offer permessage-deflate on websockets (messages over 1 KB compressed).")
    var perMessageDeflate = false

    func run() async throws {
        var logger = Logger(label: "paynotify.conformance")
        logger.logLevel = self.logLevel
        let (application, io) = ConformanceServer(host: self.host, port: self.port, perMessageDeflate: self.perMessageDeflate ? EngineIOCompression() : nil, logger: logger).makeApplication()
        // The Socket.IO server after the application: it is shut down first, so its sessions close
        // before the HTTP server stops.
        let services = ServiceGroup(configuration: .init(services: [application, io], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
