import Payments

/// How PayNotify is run and watched: the log format, who may read `/metrics` and the operator
/// dashboard, and how long a graceful drain may take.
public struct OperationsConfiguration: Sendable {
    public enum LogFormat: String, Sendable, CaseIterable {
        /// One readable line per message (swift-log's standard format).
        case text
        /// One JSON object per line, for log collectors.
        case json
    }

    public var logFormat = LogFormat.text
    /// Bearer token `/metrics` requires; nil: `/metrics` is open (keep it off the public network).
    public var metricsToken: String?
    /// Token operators log in to `/admin` with; nil: the merchant API key is used (see
    /// `PayNotifyConfiguration.dashboardToken`).
    public var adminToken: String?
    /// Longest a drain on SIGTERM/SIGINT may take before the process exits anyway.
    public var drainTimeout: Duration = .seconds(10)

    public init() {}

    public static let variables: [(name: String, help: String)] = [
        ("LOG_FORMAT", "text (default, human-readable) or json (one JSON object per line)"),
        ("METRICS_TOKEN", "bearer token required by GET /metrics (at least 16 characters); unset: /metrics is open"),
        ("ADMIN_TOKEN", "token operators log in to the dashboard at /admin with (at least 16 characters); unset: MERCHANT_API_KEY; neither: no dashboard"),
        ("DRAIN_TIMEOUT", "longest graceful drain on SIGTERM/SIGINT before exiting (default 10s)"),
    ]

    static func load(from variables: [String: String]) throws(ConfigurationError) -> OperationsConfiguration {
        var configuration = OperationsConfiguration()
        let reader = VariableReader(variables: variables)
        if let value = reader.text("LOG_FORMAT") {
            guard let format = LogFormat(rawValue: value.lowercased()) else {
                throw ConfigurationError(variable: "LOG_FORMAT", "'\(value)' is not one of \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            configuration.logFormat = format
        }
        configuration.metricsToken = reader.text("METRICS_TOKEN")
        _ = try configuration.metricsAuthenticator()
        if let token = reader.text("ADMIN_TOKEN") {
            guard token.utf8.count >= 16 else { throw ConfigurationError(variable: "ADMIN_TOKEN", "must be at least 16 characters (got \(token.utf8.count))") }
            configuration.adminToken = token
        }
        if let timeout = try reader.duration("DRAIN_TIMEOUT", minimum: .seconds(1)) { configuration.drainTimeout = timeout }
        return configuration
    }

    /// The check `/metrics` applies (`Authorization: Bearer <METRICS_TOKEN>`); nil when open.
    func metricsAuthenticator() throws(ConfigurationError) -> SharedTokenAuthenticator? {
        guard let token = self.metricsToken else { return nil }
        do throws(SecretError) {
            return try SharedTokenAuthenticator(scheme: .bearer, tokens: [token])
        } catch {
            throw ConfigurationError(variable: "METRICS_TOKEN", error.message)
        }
    }
}
