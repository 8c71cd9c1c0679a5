import Foundation
import Logging
import Payments
import Redis

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
    public var security = SecurityConfiguration()
    public var operations = OperationsConfiguration()
    /// Set: cluster mode (Redis adapter, Redis ledger, shared poll leases). Unset: embedded.
    public var redis: RedisConfiguration?
    /// In cluster mode: the Redis adapter's protocol and channel prefix.
    public var cluster = ClusterConfiguration()
    public var providers = ProviderConfiguration()
    /// Signed callbacks to the merchant's backend; off unless `MERCHANT_CALLBACK_URL` is set.
    public var callbacks = CallbackConfiguration()
    /// `DEMO`: serve the demo checkout page; unset: only in development mode.
    public var demo: Bool?
    /// permessage-deflate on websockets: off by default, as in Node (PayNotify's events are
    /// small, so it would cost CPU and save little).
    public var websocketCompression = false
    /// gzip/deflate of polling responses over 1 KB, for clients that accept it.
    public var pollingCompression = true
    /// `ALLOW_EIO3`: socket.io-client 2.x (Engine.IO 3) may connect, its token in the query.
    /// Off by default, as in Node.
    public var allowEIO3 = false

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
        ("REDIS_URL", "redis://[:password@]host[:port][/db]: cluster mode (Redis adapter and ledger); unset: embedded SQLite"),
        ("DEMO", "1: serve the demo checkout page at /demo; 0: never (default: only in development mode)"),
        ("WEBSOCKET_COMPRESSION", "1: permessage-deflate on websockets for messages over 1 KB (default 0)"),
        ("POLLING_COMPRESSION", "0: never compress polling responses; 1: gzip/deflate over 1 KB when accepted (default 1)"),
        ("ALLOW_EIO3", "1: accept socket.io-client 2.x (Engine.IO 3) as well, the token in its query (default 0)"),
    ] + ClusterConfiguration.variables + SecurityConfiguration.variables + ProviderConfiguration.variables + OperationsConfiguration.variables
        + CallbackConfiguration.variables

    /// Reads the configuration from variables (already merged by precedence).
    public static func load(from variables: [String: String]) throws(ConfigurationError) -> PayNotifyConfiguration {
        var configuration = PayNotifyConfiguration()
        let reader = VariableReader(variables: variables)
        if let host = reader.text("HOST") { configuration.host = host }
        if let port = try reader.integer("PORT", range: 0...65_535) { configuration.port = port }
        if let value = reader.text("FRONTEND_URL") { configuration.frontendOrigins = try Self.origins(value) }
        configuration.paymentAPIKey = reader.text("PAYMENT_API_KEY")
        if let value = reader.text("PAYMENT_API_URL") {
            let sample = value.replacingOccurrences(of: "{memo}", with: "x").replacingOccurrences(of: "{bookingId}", with: "x")
            guard let url = URL(string: sample), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError(variable: "PAYMENT_API_URL", "'\(value)' is not an http(s) URL")
            }
            configuration.paymentAPIURL = value
        }
        if let value = reader.text("PAYMENT_API_MAPPING") {
            do {
                configuration.paymentAPIMapping = try JSONDecoder().decode(ProviderStatusMapping.self, from: Data(value.utf8))
            } catch {
                throw ConfigurationError(variable: "PAYMENT_API_MAPPING", "not a JSON object of field names: \(value)")
            }
        }
        if let interval = try reader.duration("POLL_INTERVAL", minimum: .milliseconds(100)) { configuration.pollInterval = interval }
        if let timeout = try reader.duration("POLL_TIMEOUT", minimum: .milliseconds(10)) { configuration.pollTimeout = timeout }
        if let concurrency = try reader.integer("POLL_CONCURRENCY", range: 1...256) { configuration.pollConcurrency = concurrency }
        if let path = reader.text("DATABASE_PATH") { configuration.databasePath = path }
        if let value = reader.text("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw ConfigurationError(variable: "LOG_LEVEL", "'\(value)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        if let bytes = try reader.integer("WEBHOOK_MAX_BODY_BYTES", range: 256...(64 << 20)) { configuration.webhookMaxBodyBytes = bytes }
        if let days = try reader.integer("RETENTION_DAYS", range: 1...36_500) { configuration.retentionDays = days }
        if let url = reader.text("REDIS_URL") {
            do {
                configuration.redis = try RedisConfiguration(url: url)
            } catch {
                throw ConfigurationError(variable: "REDIS_URL", error.description)
            }
        }
        configuration.cluster = try ClusterConfiguration.load(from: variables)
        configuration.demo = try reader.flag("DEMO")
        if let compress = try reader.flag("WEBSOCKET_COMPRESSION") { configuration.websocketCompression = compress }
        if let compress = try reader.flag("POLLING_COMPRESSION") { configuration.pollingCompression = compress }
        if let allow = try reader.flag("ALLOW_EIO3") { configuration.allowEIO3 = allow }
        configuration.security = try SecurityConfiguration.load(from: variables)
        configuration.providers = try ProviderConfiguration.load(from: variables, environment: configuration.security.environment)
        configuration.operations = try OperationsConfiguration.load(from: variables)
        configuration.callbacks = try CallbackConfiguration.load(from: variables)
        if configuration.security.environment == .production,
            let problem = configuration.security.productionProblems(frontendOrigins: configuration.frontendOrigins).first
        {
            throw problem
        }
        return configuration
    }

    /// The token the operator dashboard (`/admin`) is logged in with: `ADMIN_TOKEN`, else the
    /// merchant API key; nil: no dashboard.
    public var dashboardToken: String? { self.operations.adminToken ?? self.providers.merchantAPIKey }

    /// Whether `/demo` is served: as `DEMO` says, else in development mode only.
    public var servesDemoPage: Bool { self.demo ?? (self.security.environment == .development) }

    /// Whether the demo page offers its simulate button, which records payments without a
    /// provider: in development mode only, whatever `DEMO` says.
    public var simulatesPayments: Bool { self.servesDemoPage && self.security.environment == .development }

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

    /// A duration written as the variables take them: `10` or `2.5` (seconds), `500ms`, `1m`, `1h`.
    public static func duration(_ text: String) -> Duration? {
        VariableReader.duration(text)
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
}
