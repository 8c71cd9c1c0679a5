import ArgumentParser
import Foundation
import PayNotifyServer

/// The options `serve` and `doctor` share, and the one way both turn them, the environment and
/// `.env` into a configuration.
struct ConfigurationOptions: ParsableArguments {
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

    /// Flags over the environment over `.env` in the working directory.
    func load() throws(ConfigurationError) -> PayNotifyConfiguration {
        try Self.load(flags: self.flags)
    }

    /// `flags` (variable names to values) over the environment over `.env` in the working
    /// directory: what a command with options of its own reads the configuration with.
    static func load(flags: [String: String]) throws(ConfigurationError) -> PayNotifyConfiguration {
        try PayNotifyConfiguration.load(
            flags: flags,
            environment: ProcessInfo.processInfo.environment,
            dotEnvText: try? String(contentsOfFile: ".env", encoding: .utf8)
        )
    }

    /// Where the configuration's variables are listed, for `--help`.
    static var variablesHelp: String {
        """
        Configuration comes from environment variables and a .env file in the working directory \
        (the environment wins); the options below override both.

        Environment variables:
        \(PayNotifyConfiguration.variables.map { "  \($0.name): \($0.help)" }.joined(separator: "\n"))
        """
    }
}
