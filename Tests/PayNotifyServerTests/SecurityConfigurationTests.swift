import Foundation
import Payments
import Testing

@testable import PayNotifyServer

@Suite("Security configuration from variables")
struct SecurityConfigurationTests {
    static let jwtSecret = String(repeating: "s", count: 32)
    static let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"

    private func security(_ variables: [String: String]) throws -> SecurityConfiguration {
        try PayNotifyConfiguration.load(from: variables).security
    }

    /// The variable named by the error loading `variables` fails with (nil if it loads).
    private func failingVariable(_ variables: [String: String]) -> ConfigurationError? {
        do {
            _ = try PayNotifyConfiguration.load(from: variables)
            return nil
        } catch {
            return error
        }
    }

    @Test("Without variables: development, open webhooks and sockets, the documented limits")
    func defaults() throws {
        let security = try self.security([:])
        #expect(security.environment == .development)
        #expect(security.webhookScheme == .standard)
        #expect(security.webhookSecrets.isEmpty)
        #expect(security.webhookTolerance == .seconds(300))
        #expect(security.webhookRate == 50)
        #expect(security.webhookBurst == 100)
        #expect(security.webhookAllowedAddresses.isEmpty)
        #expect(security.trustedProxies.isEmpty)
        #expect(security.jwtSecret == nil)
        #expect(security.jwtPublicKeyPEM == nil)
        #expect(security.jwtIssuer == nil)
        #expect(security.jwtAudience == nil)
        #expect(!security.requiresSocketTokens)
        #expect(security.maximumConnectionsPerAddress == 1000)
        #expect(security.maximumSubscriptionsPerSocket == 20)
        #expect(security.socketPacketRate == 20)
        #expect(security.socketPacketBurst == 40)
        #expect(security.tlsCertificatePath == nil)
        #expect(security.tlsKeyPath == nil)
    }

    @Test("Empty or blank variables mean the default")
    func emptyMeansDefault() throws {
        let names = SecurityConfiguration.variables.map(\.name)
        let security = try self.security(Dictionary(uniqueKeysWithValues: names.map { ($0, "  ") }))
        #expect(security.environment == .development)
        #expect(security.webhookSecrets.isEmpty)
        #expect(security.webhookTolerance == .seconds(300))
        #expect(security.jwtSecret == nil)
        #expect(security.tlsCertificatePath == nil)
    }

    @Test("Every variable is read into its setting")
    func everyVariable() throws {
        let security = try self.security([
            "PAYNOTIFY_ENV": "development",
            "WEBHOOK_SCHEME": "stripe",
            "WEBHOOK_SECRET": " sk_current_0123456789 ",
            "WEBHOOK_SECRET_PREVIOUS": "sk_previous_0123456789",
            "WEBHOOK_TOLERANCE": "1m",
            "WEBHOOK_RATE_LIMIT": "2.5",
            "WEBHOOK_RATE_BURST": "7",
            "WEBHOOK_ALLOWED_IPS": "203.0.113.0/24, 2001:db8::/32",
            "TRUSTED_PROXIES": "10.0.0.0/8",
            "JWT_SECRET": Self.jwtSecret,
            "JWT_ISSUER": "https://auth.shop.example",
            "JWT_AUDIENCE": "paynotify",
            "MAX_CONNECTIONS_PER_IP": "3",
            "MAX_SUBSCRIPTIONS_PER_SOCKET": "4",
            "SOCKET_PACKET_RATE": "0.5",
            "SOCKET_PACKET_BURST": "6",
            "TLS_CERT_PATH": "/etc/paynotify/cert.pem",
            "TLS_KEY_PATH": "/etc/paynotify/key.pem",
        ])
        #expect(security.environment == .development)
        #expect(security.webhookScheme == .stripe)
        #expect(security.webhookSecrets == ["sk_current_0123456789", "sk_previous_0123456789"])
        #expect(security.webhookTolerance == .seconds(60))
        #expect(security.webhookRate == 2.5)
        #expect(security.webhookBurst == 7)
        #expect(security.webhookAllowedAddresses.map(\.description) == ["203.0.113.0/24", "2001:db8::/32"])
        #expect(security.trustedProxies.map(\.description) == ["10.0.0.0/8"])
        #expect(security.jwtSecret == Self.jwtSecret)
        #expect(security.jwtPublicKeyPEM == nil)
        #expect(security.requiresSocketTokens)
        #expect(security.jwtIssuer == "https://auth.shop.example")
        #expect(security.jwtAudience == "paynotify")
        #expect(security.maximumConnectionsPerAddress == 3)
        #expect(security.maximumSubscriptionsPerSocket == 4)
        #expect(security.socketPacketRate == 0.5)
        #expect(security.socketPacketBurst == 6)
        #expect(security.tlsCertificatePath == "/etc/paynotify/cert.pem")
        #expect(security.tlsKeyPath == "/etc/paynotify/key.pem")
    }

    @Test(
        "WEBHOOK_SCHEME is read whatever its case",
        arguments: [
            ("standard", SecurityConfiguration.WebhookScheme.standard), ("Standard", .standard), ("STRIPE", .stripe),
            ("bearer", .bearer), ("Bearer", .bearer), ("apikey", .apikey), ("ApiKey", .apikey),
        ]
    )
    func scheme(value: String, scheme: SecurityConfiguration.WebhookScheme) throws {
        #expect(try self.security(["WEBHOOK_SCHEME": value]).webhookScheme == scheme)
    }

    @Test(
        "WEBHOOK_TOLERANCE takes the duration format, at least a second",
        arguments: [("1", 1_000), ("10", 10_000), ("2.5", 2_500), ("1500ms", 1_500), ("90s", 90_000), ("5m", 300_000), ("1h", 3_600_000)]
    )
    func tolerance(value: String, milliseconds: Int64) throws {
        #expect(try self.security(["WEBHOOK_TOLERANCE": value]).webhookTolerance == .milliseconds(milliseconds))
    }

    @Test("PAYNOTIFY_ENV is read whatever its case", arguments: ["development", "Development", "DEVELOPMENT"])
    func environment(value: String) throws {
        #expect(try self.security(["PAYNOTIFY_ENV": value]).environment == .development)
    }

    @Test("JWT_PUBLIC_KEY inline, with \\n escapes as a one-line variable allows")
    func inlinePEM() throws {
        let oneLine = Self.pem.replacingOccurrences(of: "\n", with: "\\n")
        let security = try self.security(["JWT_PUBLIC_KEY": oneLine, "JWT_ISSUER": "issuer"])
        #expect(security.jwtPublicKeyPEM == Self.pem)
        #expect(security.jwtSecret == nil)
        #expect(security.requiresSocketTokens)
        #expect(try self.security(["JWT_PUBLIC_KEY": Self.pem]).jwtPublicKeyPEM == Self.pem)
    }

    @Test("JWT_PUBLIC_KEY as the path of a PEM file reads the file")
    func pemFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paynotify-jwt-\(UUID().uuidString).pem").path
        try (Self.pem + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let security = try self.security(["JWT_PUBLIC_KEY": path])
        #expect(security.jwtPublicKeyPEM == Self.pem + "\n")
        #expect(security.requiresSocketTokens)
    }

    @Test(
        "An unusable value fails, naming its variable",
        arguments: [
            (["PAYNOTIFY_ENV": "staging"], "PAYNOTIFY_ENV"),
            (["WEBHOOK_SCHEME": "other"], "WEBHOOK_SCHEME"),
            (["WEBHOOK_SCHEME": "hmac"], "WEBHOOK_SCHEME"),
            (["WEBHOOK_SECRET_PREVIOUS": "whsec_AAECAwQFBgcICQoLDA0ODw=="], "WEBHOOK_SECRET_PREVIOUS"),
            (["WEBHOOK_TOLERANCE": "0"], "WEBHOOK_TOLERANCE"),
            (["WEBHOOK_TOLERANCE": "500ms"], "WEBHOOK_TOLERANCE"),
            (["WEBHOOK_TOLERANCE": "-5"], "WEBHOOK_TOLERANCE"),
            (["WEBHOOK_TOLERANCE": "soon"], "WEBHOOK_TOLERANCE"),
            (["WEBHOOK_TOLERANCE": "400d"], "WEBHOOK_TOLERANCE"),
            (["WEBHOOK_RATE_LIMIT": "0"], "WEBHOOK_RATE_LIMIT"),
            (["WEBHOOK_RATE_LIMIT": "-1"], "WEBHOOK_RATE_LIMIT"),
            (["WEBHOOK_RATE_LIMIT": "2000000"], "WEBHOOK_RATE_LIMIT"),
            (["WEBHOOK_RATE_LIMIT": "nan"], "WEBHOOK_RATE_LIMIT"),
            (["WEBHOOK_RATE_LIMIT": "fast"], "WEBHOOK_RATE_LIMIT"),
            (["WEBHOOK_RATE_BURST": "0"], "WEBHOOK_RATE_BURST"),
            (["WEBHOOK_RATE_BURST": "1.5"], "WEBHOOK_RATE_BURST"),
            (["WEBHOOK_RATE_BURST": "1000001"], "WEBHOOK_RATE_BURST"),
            (["WEBHOOK_ALLOWED_IPS": "nonsense"], "WEBHOOK_ALLOWED_IPS"),
            (["WEBHOOK_ALLOWED_IPS": "203.0.113.0/24, 300.1.1.1"], "WEBHOOK_ALLOWED_IPS"),
            (["TRUSTED_PROXIES": "10.0.0.0/33"], "TRUSTED_PROXIES"),
            (["JWT_SECRET": String(repeating: "s", count: 31)], "JWT_SECRET"),
            (["JWT_SECRET": "short"], "JWT_SECRET"),
            (["JWT_SECRET": jwtSecret, "JWT_PUBLIC_KEY": pem], "JWT_PUBLIC_KEY"),
            (["JWT_PUBLIC_KEY": "not a key"], "JWT_PUBLIC_KEY"),
            (["JWT_PUBLIC_KEY": "/nonexistent/paynotify/jwt.pem"], "JWT_PUBLIC_KEY"),
            (["MAX_CONNECTIONS_PER_IP": "0"], "MAX_CONNECTIONS_PER_IP"),
            (["MAX_CONNECTIONS_PER_IP": "1000001"], "MAX_CONNECTIONS_PER_IP"),
            (["MAX_SUBSCRIPTIONS_PER_SOCKET": "0"], "MAX_SUBSCRIPTIONS_PER_SOCKET"),
            (["MAX_SUBSCRIPTIONS_PER_SOCKET": "10001"], "MAX_SUBSCRIPTIONS_PER_SOCKET"),
            (["SOCKET_PACKET_RATE": "0.001"], "SOCKET_PACKET_RATE"),
            (["SOCKET_PACKET_RATE": "inf"], "SOCKET_PACKET_RATE"),
            (["SOCKET_PACKET_BURST": "-1"], "SOCKET_PACKET_BURST"),
            (["SOCKET_PACKET_BURST": "many"], "SOCKET_PACKET_BURST"),
            (["TLS_CERT_PATH": "/etc/paynotify/cert.pem"], "TLS_KEY_PATH"),
            (["TLS_KEY_PATH": "/etc/paynotify/key.pem"], "TLS_CERT_PATH"),
        ] as [([String: String], String)]
    )
    func invalid(variables: [String: String], variable: String) throws {
        let error = try #require(self.failingVariable(variables))
        #expect(error.variable == variable)
        #expect(error.description.hasPrefix("\(variable): "))
    }

    @Test("The message quotes the offending value")
    func messages() throws {
        #expect(try #require(self.failingVariable(["WEBHOOK_SCHEME": "other"])).message.contains("'other'"))
        #expect(try #require(self.failingVariable(["WEBHOOK_ALLOWED_IPS": "10.0.0.0/8, nonsense"])).message.contains("'nonsense'"))
        #expect(try #require(self.failingVariable(["JWT_SECRET": "short"])).message.contains("(got 5)"))
        #expect(try #require(self.failingVariable(["MAX_CONNECTIONS_PER_IP": "0"])).message.contains("'0'"))
    }

    @Test("A JWT secret of exactly 32 bytes (counted in UTF-8) is accepted")
    func jwtSecretLength() throws {
        #expect(try self.security(["JWT_SECRET": Self.jwtSecret]).jwtSecret == Self.jwtSecret)
        let multibyte = String(repeating: "é", count: 16)  // 16 characters, 32 bytes
        #expect(try self.security(["JWT_SECRET": multibyte]).jwtSecret == multibyte)
        #expect(self.failingVariable(["JWT_SECRET": String(repeating: "é", count: 15) + "x"])?.variable == "JWT_SECRET")
    }

    // MARK: Production mode

    static let production = [
        "PAYNOTIFY_ENV": "production",
        "WEBHOOK_SECRET": "whsec_AAECAwQFBgcICQoLDA0ODw==",
        "JWT_SECRET": jwtSecret,
        "FRONTEND_URL": "https://shop.example",
    ]

    @Test(
        "Production refuses to start without each protection",
        arguments: [
            ("WEBHOOK_SECRET", nil, "WEBHOOK_SECRET"),
            ("JWT_SECRET", nil, "JWT_SECRET"),
            ("FRONTEND_URL", "*", "FRONTEND_URL"),
            ("FRONTEND_URL", "https://shop.example, *", "FRONTEND_URL"),
        ] as [(String, String?, String)]
    )
    func productionRefusals(name: String, value: String?, variable: String) throws {
        var variables = Self.production
        variables[name] = value
        #expect(self.failingVariable(variables)?.variable == variable)
    }

    @Test("In production, the default FRONTEND_URL (one named origin) is accepted")
    func productionDefaultFrontend() throws {
        var variables = Self.production
        variables["FRONTEND_URL"] = nil
        #expect(try PayNotifyConfiguration.load(from: variables).frontendOrigins == ["http://localhost:3001"])
    }

    @Test("Production with nothing set names the webhook secret first")
    func productionBare() {
        #expect(self.failingVariable(["PAYNOTIFY_ENV": "production"])?.variable == "WEBHOOK_SECRET")
        #expect(self.failingVariable(["PAYNOTIFY_ENV": "Production", "WEBHOOK_SECRET": "whsec_AAECAwQFBgcICQoLDA0ODw=="])?.variable == "JWT_SECRET")
    }

    @Test("Production starts when every protection is set, with a JWT secret or a public key")
    func productionAccepted() throws {
        let configuration = try PayNotifyConfiguration.load(from: Self.production)
        #expect(configuration.security.environment == .production)
        #expect(configuration.frontendOrigins == ["https://shop.example"])
        #expect(configuration.security.requiresSocketTokens)

        var withPublicKey = Self.production
        withPublicKey["JWT_SECRET"] = nil
        withPublicKey["JWT_PUBLIC_KEY"] = Self.pem
        let other = try PayNotifyConfiguration.load(from: withPublicKey)
        #expect(other.security.environment == .production)
        #expect(other.security.jwtPublicKeyPEM == Self.pem)
    }

    @Test("Development allows what production refuses")
    func developmentAllowsOpen() throws {
        let configuration = try PayNotifyConfiguration.load(from: ["PAYNOTIFY_ENV": "development", "FRONTEND_URL": "*"])
        #expect(configuration.security.environment == .development)
        #expect(configuration.security.productionProblems(frontendOrigins: configuration.frontendOrigins).map(\.variable) == [
            "WEBHOOK_SECRET", "JWT_SECRET", "FRONTEND_URL",
        ])
    }

    @Test("Every security variable is documented")
    func documented() {
        let names = SecurityConfiguration.variables.map(\.name)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(PayNotifyConfiguration.variables.contains { $0.name == name }, "\(name)")
        }
    }
}
