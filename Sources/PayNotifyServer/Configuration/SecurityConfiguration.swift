import Foundation
import Payments

/// How PayNotify protects itself: webhook authentication, socket tokens, rate limits, TLS.
///
/// In production (`PAYNOTIFY_ENV=production`) the protections are required; in development
/// each missing one is allowed and logged once at start-up.
public struct SecurityConfiguration: Sendable {
    public enum Environment: String, Sendable {
        case development
        case production
    }

    /// How webhook senders prove who they are.
    public enum WebhookScheme: String, Sendable, CaseIterable {
        case standard
        case stripe
        case bearer
        case apikey
    }

    public var environment = Environment.development
    public var webhookScheme = WebhookScheme.standard
    /// The current secret first, then the previous one while rotating. Empty: webhooks are open.
    public var webhookSecrets: [String] = []
    public var webhookTolerance: Duration = .seconds(300)
    /// Webhooks per second per client address, and the burst allowed.
    public var webhookRate = 50.0
    public var webhookBurst = 100
    /// Only these addresses may post webhooks; empty: any.
    public var webhookAllowedAddresses: [IPAddressRange] = []
    /// Proxies whose `X-Forwarded-For` is believed.
    public var trustedProxies: [IPAddressRange] = []
    /// HS256 secret for socket tokens.
    public var jwtSecret: String?
    /// PEM public key for RS256 / ES256 socket tokens.
    public var jwtPublicKeyPEM: String?
    public var jwtIssuer: String?
    public var jwtAudience: String?
    public var maximumConnectionsPerAddress = 1000
    public var maximumSubscriptionsPerSocket = 20
    /// Packets per second one connection may send, and the burst allowed.
    public var socketPacketRate = 20.0
    public var socketPacketBurst = 40
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?

    public init() {}

    /// Whether sockets must present a token.
    public var requiresSocketTokens: Bool { self.jwtSecret != nil || self.jwtPublicKeyPEM != nil }

    public static let variables: [(name: String, help: String)] = [
        ("PAYNOTIFY_ENV", "development (default: open, warns) or production (refuses to start unprotected)"),
        ("WEBHOOK_SCHEME", "standard (default; Standard Webhooks), stripe, bearer (Authorization: Bearer) or apikey (Authorization: Apikey)"),
        ("WEBHOOK_SECRET", "webhook secret or token (whsec_… for standard); unset: webhooks are not authenticated"),
        ("WEBHOOK_SECRET_PREVIOUS", "the previous secret, still accepted while rotating"),
        ("WEBHOOK_TOLERANCE", "accepted age of a signature timestamp (default 300s)"),
        ("WEBHOOK_RATE_LIMIT", "webhooks per second per client address (default 50; raise it for a provider that sends more)"),
        ("WEBHOOK_RATE_BURST", "webhooks one address may send at once (default 100)"),
        ("WEBHOOK_ALLOWED_IPS", "comma-separated addresses or CIDR ranges allowed to post webhooks (default: any)"),
        ("TRUSTED_PROXIES", "comma-separated proxies (CIDR) whose X-Forwarded-For is believed"),
        ("JWT_SECRET", "HS256 secret (at least 32 bytes) for socket tokens; sockets must then authenticate"),
        ("JWT_PUBLIC_KEY", "PEM public key (inline or a file path) for RS256/ES256 socket tokens"),
        ("JWT_ISSUER", "required iss claim of socket tokens"),
        ("JWT_AUDIENCE", "required aud claim of socket tokens"),
        ("MAX_CONNECTIONS_PER_IP", "connections one client address may hold (default 1000; many customers may share one carrier address)"),
        ("MAX_SUBSCRIPTIONS_PER_SOCKET", "bookings one socket may watch (default 20)"),
        ("SOCKET_PACKET_RATE", "packets per second one connection may send (default 20)"),
        ("SOCKET_PACKET_BURST", "packets one connection may send at once (default 40)"),
        ("TLS_CERT_PATH", "PEM certificate chain: serve HTTPS and WSS"),
        ("TLS_KEY_PATH", "PEM private key of the certificate"),
    ]

    static func load(from variables: [String: String]) throws(ConfigurationError) -> SecurityConfiguration {
        var configuration = SecurityConfiguration()
        let reader = VariableReader(variables: variables)
        if let value = reader.text("PAYNOTIFY_ENV") {
            guard let environment = Environment(rawValue: value.lowercased()) else {
                throw ConfigurationError(variable: "PAYNOTIFY_ENV", "'\(value)' is not development or production")
            }
            configuration.environment = environment
        }
        if let value = reader.text("WEBHOOK_SCHEME") {
            guard let scheme = WebhookScheme(rawValue: value.lowercased()) else {
                throw ConfigurationError(variable: "WEBHOOK_SCHEME", "'\(value)' is not one of \(WebhookScheme.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            configuration.webhookScheme = scheme
        }
        configuration.webhookSecrets = ["WEBHOOK_SECRET", "WEBHOOK_SECRET_PREVIOUS"].compactMap { reader.text($0) }
        if reader.text("WEBHOOK_SECRET") == nil, reader.text("WEBHOOK_SECRET_PREVIOUS") != nil {
            throw ConfigurationError(variable: "WEBHOOK_SECRET_PREVIOUS", "is set without WEBHOOK_SECRET")
        }
        if let tolerance = try reader.duration("WEBHOOK_TOLERANCE", minimum: .seconds(1)) { configuration.webhookTolerance = tolerance }
        if let rate = try reader.number("WEBHOOK_RATE_LIMIT", range: 0.01...1_000_000) { configuration.webhookRate = rate }
        if let burst = try reader.integer("WEBHOOK_RATE_BURST", range: 1...1_000_000) { configuration.webhookBurst = burst }
        configuration.webhookAllowedAddresses = try reader.ranges("WEBHOOK_ALLOWED_IPS")
        configuration.trustedProxies = try reader.ranges("TRUSTED_PROXIES")
        if let secret = reader.text("JWT_SECRET") {
            // JWTKit accepts short HMAC keys silently in release builds: refuse them here.
            guard secret.utf8.count >= 32 else {
                throw ConfigurationError(variable: "JWT_SECRET", "must be at least 32 bytes (got \(secret.utf8.count))")
            }
            configuration.jwtSecret = secret
        }
        if let key = reader.text("JWT_PUBLIC_KEY") {
            configuration.jwtPublicKeyPEM = try Self.pem(key, variable: "JWT_PUBLIC_KEY")
        }
        if configuration.jwtSecret != nil, configuration.jwtPublicKeyPEM != nil {
            throw ConfigurationError(variable: "JWT_PUBLIC_KEY", "set either JWT_SECRET or JWT_PUBLIC_KEY, not both")
        }
        configuration.jwtIssuer = reader.text("JWT_ISSUER")
        configuration.jwtAudience = reader.text("JWT_AUDIENCE")
        if let limit = try reader.integer("MAX_CONNECTIONS_PER_IP", range: 1...1_000_000) { configuration.maximumConnectionsPerAddress = limit }
        if let limit = try reader.integer("MAX_SUBSCRIPTIONS_PER_SOCKET", range: 1...10_000) { configuration.maximumSubscriptionsPerSocket = limit }
        if let rate = try reader.number("SOCKET_PACKET_RATE", range: 0.01...1_000_000) { configuration.socketPacketRate = rate }
        if let burst = try reader.integer("SOCKET_PACKET_BURST", range: 1...1_000_000) { configuration.socketPacketBurst = burst }
        configuration.tlsCertificatePath = reader.text("TLS_CERT_PATH")
        configuration.tlsKeyPath = reader.text("TLS_KEY_PATH")
        if (configuration.tlsCertificatePath == nil) != (configuration.tlsKeyPath == nil) {
            throw ConfigurationError(variable: configuration.tlsCertificatePath == nil ? "TLS_CERT_PATH" : "TLS_KEY_PATH", "TLS needs both TLS_CERT_PATH and TLS_KEY_PATH")
        }
        return configuration
    }

    /// PEM given inline, or the path of a file holding it.
    private static func pem(_ value: String, variable: String) throws(ConfigurationError) -> String {
        if value.hasPrefix("-----BEGIN") { return value.replacingOccurrences(of: "\\n", with: "\n") }
        guard let contents = try? String(contentsOfFile: value, encoding: .utf8) else {
            throw ConfigurationError(variable: variable, "is neither PEM text nor a readable file: \(value)")
        }
        return contents
    }

    /// What production mode refuses to run without.
    func productionProblems(frontendOrigins: [String]) -> [ConfigurationError] {
        var problems: [ConfigurationError] = []
        if self.webhookSecrets.isEmpty { problems.append(ConfigurationError(variable: "WEBHOOK_SECRET", "is required in production")) }
        if !self.requiresSocketTokens { problems.append(ConfigurationError(variable: "JWT_SECRET", "(or JWT_PUBLIC_KEY) is required in production")) }
        if frontendOrigins.contains("*") { problems.append(ConfigurationError(variable: "FRONTEND_URL", "must name the frontend's origins in production, not *")) }
        return problems
    }
}
