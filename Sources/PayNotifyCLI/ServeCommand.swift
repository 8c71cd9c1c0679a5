import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PayNotifyServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the payment notifier.",
        discussion: """
            Configuration comes from environment variables and a .env file in the working directory \
            (the environment wins); the options below override both.

            Environment variables:
            \(PayNotifyConfiguration.variables.map { "  \($0.name): \($0.help)" }.joined(separator: "\n"))
            """
    )

    @Option(help: "Port to listen on (PORT).")
    var port: Int?

    @Option(help: "Address to listen on (HOST).")
    var host: String?

    @Option(help: "Allowed frontend origins, comma-separated, or * (FRONTEND_URL).")
    var frontendUrl: String?

    @Option(help: "SQLite ledger file (DATABASE_PATH).")
    var databasePath: String?

    @Option(help: "Provider status API URL template (PAYMENT_API_URL).")
    var paymentApiUrl: String?

    @Option(help: "Seconds between status API calls per booking (POLL_INTERVAL).")
    var pollInterval: String?

    @Option(help: "Log level (LOG_LEVEL).")
    var logLevel: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["PORT"] = self.port.map(String.init)
        flags["HOST"] = self.host
        flags["FRONTEND_URL"] = self.frontendUrl
        flags["DATABASE_PATH"] = self.databasePath
        flags["PAYMENT_API_URL"] = self.paymentApiUrl
        flags["POLL_INTERVAL"] = self.pollInterval
        flags["LOG_LEVEL"] = self.logLevel
        return flags
    }

    func run() async throws {
        let configuration: PayNotifyConfiguration
        do {
            configuration = try PayNotifyConfiguration.load(
                flags: self.flags,
                environment: ProcessInfo.processInfo.environment,
                dotEnvText: try? String(contentsOfFile: ".env", encoding: .utf8)
            )
        } catch {
            FileHandle.standardError.write(Data("paynotify: invalid configuration: \(error)\n".utf8))
            throw ExitCode.validationFailure
        }
        let logger = makeLogger(label: "paynotify", level: configuration.logLevel)
        do {
            try await PayNotifyApplication(configuration: configuration, logger: logger).makeApplication().runService()
        } catch {
            logger.critical("Server stopped", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}

/// A logger writing to standard error at `level`.
func makeLogger(label: String, level: Logger.Level) -> Logger {
    var logger = Logger(label: label) { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = level
    return logger
}
