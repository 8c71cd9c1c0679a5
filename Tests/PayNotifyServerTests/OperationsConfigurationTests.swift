import Testing

@testable import PayNotifyServer

@Suite("Operations configuration from variables")
struct OperationsConfigurationTests {
    private func operations(_ variables: [String: String]) throws -> OperationsConfiguration {
        try PayNotifyConfiguration.load(from: variables).operations
    }

    @Test("Without variables: readable logs, open metrics, a 10 s drain")
    func defaults() throws {
        let operations = try self.operations([:])
        #expect(operations.logFormat == .text)
        #expect(operations.metricsToken == nil)
        #expect(try operations.metricsAuthenticator() == nil)
        #expect(operations.drainTimeout == .seconds(10))
    }

    @Test("Each variable read, case-insensitive log format, durations as everywhere else")
    func values() throws {
        let operations = try self.operations(["LOG_FORMAT": "JSON", "METRICS_TOKEN": "a-metrics-token-1234", "DRAIN_TIMEOUT": "2500ms"])
        #expect(operations.logFormat == .json)
        #expect(operations.metricsToken == "a-metrics-token-1234")
        #expect(try operations.metricsAuthenticator() != nil)
        #expect(operations.drainTimeout == .milliseconds(2500))
    }

    @Test("The dashboard is logged in with ADMIN_TOKEN, else the merchant key, else it is off")
    func dashboardToken() throws {
        #expect(try PayNotifyConfiguration.load(from: [:]).dashboardToken == nil)
        #expect(try PayNotifyConfiguration.load(from: ["MERCHANT_API_KEY": "merchant-key-0123456789"]).dashboardToken == "merchant-key-0123456789")
        let both = try PayNotifyConfiguration.load(from: ["MERCHANT_API_KEY": "merchant-key-0123456789", "ADMIN_TOKEN": "admin-token-0123456789"])
        #expect(both.dashboardToken == "admin-token-0123456789")
        #expect(both.startupNotices.contains { $0.message == "Operator dashboard at /admin, logged in with ADMIN_TOKEN" })
        #expect(try PayNotifyConfiguration.load(from: [:]).startupNotices.contains { $0.message.hasPrefix("The operator dashboard is off") })
    }

    @Test(
        "A bad value names its variable",
        arguments: [
            (["LOG_FORMAT": "xml"], "LOG_FORMAT"),
            (["METRICS_TOKEN": "too-short"], "METRICS_TOKEN"),
            (["ADMIN_TOKEN": "too-short"], "ADMIN_TOKEN"),
            (["DRAIN_TIMEOUT": "soon"], "DRAIN_TIMEOUT"),
            (["DRAIN_TIMEOUT": "500ms"], "DRAIN_TIMEOUT"),
        ]
    )
    func refused(variables: [String: String], variable: String) {
        let error = #expect(throws: ConfigurationError.self) { try self.operations(variables) }
        #expect(error?.variable == variable)
    }

    @Test("The operations variables are listed for --help")
    func documented() {
        let names = PayNotifyConfiguration.variables.map(\.name)
        #expect(["LOG_FORMAT", "METRICS_TOKEN", "DRAIN_TIMEOUT"].allSatisfy(names.contains))
    }
}
