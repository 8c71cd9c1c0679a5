import Foundation
import Logging
import Payments

/// Everything `paynotify serve` can be told, with the reference server's names and defaults.
///
/// Built from environment variables, a `.env` file and command-line flags, in that order of
/// precedence: flags win over the environment, the environment wins over `.env`.
public struct PayNotifyConfiguration: Sendable {
    public var host = "0.0.0.0"
    public var port = 3000
    /// Origins allowed to use the polling transport cross-origin; `["*"]` allows any.
    public var frontendOrigins = ["http://localhost:3001"]
    public var paymentAPIKey: String?
    /// Status API URL with `{memo}` (or `{bookingId}`) where the booking goes; polling is off without it.
    public var paymentAPIURL: String?
    public var paymentAPIMapping = ProviderStatusMapping()
    public var pollInterval: Duration = .seconds(10)
    public var pollTimeout: Duration = .seconds(5)
    public var pollConcurrency = 4
    public var databasePath = "paynotify.sqlite"
    public var logLevel: Logger.Level = .info
    public var webhookMaxBodyBytes = 65_536
    public var retentionDays = 30

    public init() {}

    /// Every variable read, with its meaning, for `--help` and the README.
    public static let variables: [(name: String, help: String)] = [
        ("PORT", "port to listen on (default 3000)"),
        ("HOST", "address to listen on (default 0.0.0.0)"),
        ("FRONTEND_URL", "origins allowed to connect cross-origin, comma-separated, or * (default http://localhost:3001)"),
        ("PAYMENT_API_KEY", "bearer token sent to the provider's status API"),
        ("PAYMENT_API_URL", "provider status API URL, {memo} or {bookingId} replaced per booking; enables polling"),
        ("PAYMENT_API_MAPPING", #"JSON: where the status API answer says paid (default {"status":"status","paidValue":"paid","transactionId":"transactionId","amount":"amount"})"#),
        ("POLL_INTERVAL", "seconds between two status API calls for one booking: 10, 2.5, 500ms, 1m (default 10)"),
        ("POLL_TIMEOUT", "time limit of one status API call, same format (default 5)"),
        ("POLL_CONCURRENCY", "status API calls in flight at most (default 4)"),
        ("DATABASE_PATH", "SQLite ledger file (default ./paynotify.sqlite)"),
        ("LOG_LEVEL", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("WEBHOOK_MAX_BODY_BYTES", "largest webhook body accepted (default 65536)"),
        ("RETENTION_DAYS", "days payments are kept in the ledger (default 30)"),
    ]

    /// Reads the configuration from variables (already merged by precedence).
    public static func load(from variables: [String: String]) throws(ConfigurationError) -> PayNotifyConfiguration {
        var configuration = PayNotifyConfiguration()
        if let value = variables["HOST"] {
            guard !value.isEmpty else { throw ConfigurationError(variable: "HOST", "must not be empty") }
            configuration.host = value
        }
        if let value = variables["PORT"] {
            guard let port = Int(value), (0...65_535).contains(port) else {
                throw ConfigurationError(variable: "PORT", "'\(value)' is not a port number (0-65535)")
            }
            configuration.port = port
        }
        if let value = variables["FRONTEND_URL"] {
            configuration.frontendOrigins = try Self.origins(value)
        }
        configuration.paymentAPIKey = variables["PAYMENT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let value = variables["PAYMENT_API_URL"], !value.isEmpty {
            let sample = value.replacingOccurrences(of: "{memo}", with: "x").replacingOccurrences(of: "{bookingId}", with: "x")
            guard let url = URL(string: sample), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError(variable: "PAYMENT_API_URL", "'\(value)' is not an http(s) URL")
            }
            configuration.paymentAPIURL = value
        }
        if let value = variables["PAYMENT_API_MAPPING"], !value.isEmpty {
            do {
                configuration.paymentAPIMapping = try JSONDecoder().decode(ProviderStatusMapping.self, from: Data(value.utf8))
            } catch {
                throw ConfigurationError(variable: "PAYMENT_API_MAPPING", "not a JSON object of field names: \(value)")
            }
        }
        if let value = variables["POLL_INTERVAL"] {
            guard let interval = Self.duration(value), interval >= .milliseconds(100) else {
                throw ConfigurationError(variable: "POLL_INTERVAL", "'\(value)' is not a duration of at least 100ms (e.g. 10, 2.5, 500ms, 1m)")
            }
            configuration.pollInterval = interval
        }
        if let value = variables["POLL_TIMEOUT"] {
            guard let timeout = Self.duration(value), timeout >= .milliseconds(10) else {
                throw ConfigurationError(variable: "POLL_TIMEOUT", "'\(value)' is not a duration of at least 10ms (e.g. 5, 0.5, 500ms)")
            }
            configuration.pollTimeout = timeout
        }
        if let value = variables["POLL_CONCURRENCY"] {
            guard let concurrency = Int(value), (1...256).contains(concurrency) else {
                throw ConfigurationError(variable: "POLL_CONCURRENCY", "'\(value)' is not a whole number from 1 to 256")
            }
            configuration.pollConcurrency = concurrency
        }
        if let value = variables["DATABASE_PATH"] {
            guard !value.isEmpty else { throw ConfigurationError(variable: "DATABASE_PATH", "must not be empty") }
            configuration.databasePath = value
        }
        if let value = variables["LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw ConfigurationError(variable: "LOG_LEVEL", "'\(value)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        if let value = variables["WEBHOOK_MAX_BODY_BYTES"] {
            guard let bytes = Int(value), bytes >= 256 else {
                throw ConfigurationError(variable: "WEBHOOK_MAX_BODY_BYTES", "'\(value)' is not a byte count of at least 256")
            }
            configuration.webhookMaxBodyBytes = bytes
        }
        if let value = variables["RETENTION_DAYS"] {
            guard let days = Int(value), (1...36_500).contains(days) else {
                throw ConfigurationError(variable: "RETENTION_DAYS", "'\(value)' is not a whole number of days from 1 to 36500")
            }
            configuration.retentionDays = days
        }
        return configuration
    }

    /// Merges the sources by precedence: `.env` < environment < flags.
    public static func load(
        flags: [String: String],
        environment: [String: String],
        dotEnvText: String?
    ) throws(ConfigurationError) -> PayNotifyConfiguration {
        var merged = try dotEnvText.map { text throws(ConfigurationError) in try DotEnvFile.parse(text) } ?? [:]
        merged.merge(environment) { _, environment in environment }
        merged.merge(flags) { _, flag in flag }
        return try Self.load(from: merged)
    }

    private static func origins(_ value: String) throws(ConfigurationError) -> [String] {
        let origins = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !origins.isEmpty else { throw ConfigurationError(variable: "FRONTEND_URL", "must name at least one origin, or *") }
        for origin in origins where origin != "*" {
            guard let url = URL(string: origin), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                url.path.isEmpty || url.path == "/", url.query == nil, url.fragment == nil, url.user == nil
            else {
                throw ConfigurationError(variable: "FRONTEND_URL", "'\(origin)' is not an origin like https://shop.example or http://localhost:3001")
            }
        }
        // Browsers send origins without a trailing slash.
        return origins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// `10` or `2.5` (seconds), `500ms`, `10s`, `1m`, `1h`; at most a year.
    static func duration(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(text.dropLast(unit.suffix.count)), number.isFinite, number >= 0 else { return nil }
        let milliseconds = (number * unit.seconds * 1000).rounded()
        guard milliseconds <= 366 * 86_400_000 else { return nil }
        return .milliseconds(Int64(milliseconds))
    }
}
