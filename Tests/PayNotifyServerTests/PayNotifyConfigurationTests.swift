import Foundation
import Logging
import Payments
import Testing

@testable import PayNotifyServer

@Suite("Configuration from variables")
struct PayNotifyConfigurationTests {
    @Test("Without variables, the reference server's defaults apply; unknown variables are ignored")
    func defaults() throws {
        let configuration = try PayNotifyConfiguration.load(from: ["PATH": "/usr/bin", "HOME": "/root"])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 3000)
        #expect(configuration.frontendOrigins == ["http://localhost:3001"])
        #expect(configuration.paymentAPIKey == nil)
        #expect(configuration.paymentAPIURL == nil)
        #expect(configuration.paymentAPIMapping == ProviderStatusMapping())
        #expect(configuration.pollInterval == .seconds(10))
        #expect(configuration.pollTimeout == .seconds(5))
        #expect(configuration.pollConcurrency == 4)
        #expect(configuration.databasePath == "paynotify.sqlite")
        #expect(configuration.logLevel == .info)
        #expect(configuration.webhookMaxBodyBytes == 65_536)
        #expect(configuration.retentionDays == 30)
    }

    @Test("Every variable read is documented")
    func variablesDocumented() {
        let names = Set(PayNotifyConfiguration.variables.map(\.name))
        #expect(
            names.isSuperset(of: [
                "PORT", "HOST", "FRONTEND_URL", "PAYMENT_API_KEY", "PAYMENT_API_URL", "PAYMENT_API_MAPPING", "POLL_INTERVAL",
                "POLL_TIMEOUT", "POLL_CONCURRENCY", "DATABASE_PATH", "LOG_LEVEL", "WEBHOOK_MAX_BODY_BYTES", "RETENTION_DAYS",
            ])
        )
        #expect(names.isSuperset(of: Set(SecurityConfiguration.variables.map(\.name))))
    }

    @Test("An empty value means the default, as if the variable were unset", arguments: ["PORT", "HOST", "FRONTEND_URL", "POLL_INTERVAL", "DATABASE_PATH", "LOG_LEVEL"])
    func emptyMeansDefault(variable: String) throws {
        let defaults = PayNotifyConfiguration()
        let configuration = try PayNotifyConfiguration.load(from: [variable: ""])
        #expect(configuration.port == defaults.port)
        #expect(configuration.host == defaults.host)
        #expect(configuration.frontendOrigins == defaults.frontendOrigins)
        #expect(configuration.pollInterval == defaults.pollInterval)
        #expect(configuration.databasePath == defaults.databasePath)
        #expect(configuration.logLevel == defaults.logLevel)
    }

    @Test("PORT", arguments: [("0", 0), ("80", 80), ("8080", 8080), ("65535", 65_535)])
    func port(value: String, expected: Int) throws {
        #expect(try PayNotifyConfiguration.load(from: ["PORT": value]).port == expected)
    }

    @Test("HOST")
    func host() throws {
        #expect(try PayNotifyConfiguration.load(from: ["HOST": "127.0.0.1"]).host == "127.0.0.1")
        #expect(try PayNotifyConfiguration.load(from: ["HOST": "::"]).host == "::")
    }

    @Test(
        "FRONTEND_URL: a comma-separated list of origins, or *",
        arguments: [
            ("https://shop.example", ["https://shop.example"]),
            ("https://shop.example/", ["https://shop.example"]),
            ("*", ["*"]),
            ("http://localhost:3001", ["http://localhost:3001"]),
            ("https://a.example, http://localhost:3001/ ,", ["https://a.example", "http://localhost:3001"]),
            ("https://a.example,*", ["https://a.example", "*"]),
        ]
    )
    func frontendURL(value: String, expected: [String]) throws {
        #expect(try PayNotifyConfiguration.load(from: ["FRONTEND_URL": value]).frontendOrigins == expected)
    }

    @Test("PAYMENT_API_KEY: empty means none")
    func paymentAPIKey() throws {
        #expect(try PayNotifyConfiguration.load(from: ["PAYMENT_API_KEY": "sk_test_123"]).paymentAPIKey == "sk_test_123")
        #expect(try PayNotifyConfiguration.load(from: ["PAYMENT_API_KEY": ""]).paymentAPIKey == nil)
    }

    @Test(
        "PAYMENT_API_URL: an http(s) URL with a placeholder enables polling",
        arguments: [
            "https://api.example/v1/payments/{memo}",
            "http://localhost:8080/status?booking={bookingId}",
            "https://api.example/status",
        ]
    )
    func paymentAPIURL(value: String) throws {
        #expect(try PayNotifyConfiguration.load(from: ["PAYMENT_API_URL": value]).paymentAPIURL == value)
    }

    @Test("PAYMENT_API_URL: empty leaves polling off")
    func paymentAPIURLEmpty() throws {
        #expect(try PayNotifyConfiguration.load(from: ["PAYMENT_API_URL": ""]).paymentAPIURL == nil)
    }

    @Test("PAYMENT_API_MAPPING: JSON, absent keys keep their defaults")
    func paymentAPIMapping() throws {
        let configuration = try PayNotifyConfiguration.load(from: ["PAYMENT_API_MAPPING": #"{"status":"data.state","paidValue":"PAID"}"#])
        #expect(configuration.paymentAPIMapping == ProviderStatusMapping(status: "data.state", paidValue: "PAID"))
        #expect(configuration.paymentAPIMapping.transactionId == "transactionId")
        #expect(configuration.paymentAPIMapping.amount == "amount")
        #expect(try PayNotifyConfiguration.load(from: ["PAYMENT_API_MAPPING": ""]).paymentAPIMapping == ProviderStatusMapping())
    }

    @Test(
        "POLL_INTERVAL: seconds, or with a unit",
        arguments: [
            ("10", Duration.seconds(10)),
            ("2.5", .milliseconds(2500)),
            ("0.1", .milliseconds(100)),
            ("500ms", .milliseconds(500)),
            ("100ms", .milliseconds(100)),
            ("10s", .seconds(10)),
            ("1m", .seconds(60)),
            ("1.5m", .seconds(90)),
            ("1h", .seconds(3600)),
        ]
    )
    func pollInterval(value: String, expected: Duration) throws {
        #expect(try PayNotifyConfiguration.load(from: ["POLL_INTERVAL": value]).pollInterval == expected)
    }

    @Test(
        "POLL_TIMEOUT: same format, at least 10ms",
        arguments: [("5", Duration.seconds(5)), ("0.5", .milliseconds(500)), ("10ms", .milliseconds(10)), ("1m", .seconds(60))]
    )
    func pollTimeout(value: String, expected: Duration) throws {
        #expect(try PayNotifyConfiguration.load(from: ["POLL_TIMEOUT": value]).pollTimeout == expected)
    }

    @Test("POLL_CONCURRENCY", arguments: [("1", 1), ("8", 8), ("256", 256)])
    func pollConcurrency(value: String, expected: Int) throws {
        #expect(try PayNotifyConfiguration.load(from: ["POLL_CONCURRENCY": value]).pollConcurrency == expected)
    }

    @Test("DATABASE_PATH")
    func databasePath() throws {
        #expect(try PayNotifyConfiguration.load(from: ["DATABASE_PATH": "/var/lib/paynotify/ledger.sqlite"]).databasePath == "/var/lib/paynotify/ledger.sqlite")
    }

    @Test(
        "LOG_LEVEL, in any case",
        arguments: [
            ("trace", Logger.Level.trace), ("debug", .debug), ("DEBUG", .debug), ("Info", .info), ("notice", .notice),
            ("WARNING", .warning), ("error", .error), ("Critical", .critical),
        ]
    )
    func logLevel(value: String, expected: Logger.Level) throws {
        #expect(try PayNotifyConfiguration.load(from: ["LOG_LEVEL": value]).logLevel == expected)
    }

    @Test("WEBHOOK_MAX_BODY_BYTES", arguments: [("256", 256), ("1048576", 1_048_576)])
    func webhookMaxBodyBytes(value: String, expected: Int) throws {
        #expect(try PayNotifyConfiguration.load(from: ["WEBHOOK_MAX_BODY_BYTES": value]).webhookMaxBodyBytes == expected)
    }

    @Test("RETENTION_DAYS", arguments: [("1", 1), ("90", 90)])
    func retentionDays(value: String, expected: Int) throws {
        #expect(try PayNotifyConfiguration.load(from: ["RETENTION_DAYS": value]).retentionDays == expected)
    }

    @Test(
        "An invalid value stops start-up with an error naming its variable",
        arguments: [
            ("PORT", "abc"), ("PORT", "70000"), ("PORT", "65536"), ("PORT", "-1"), ("PORT", "80.5"),
            ("FRONTEND_URL", "notaurl"), ("FRONTEND_URL", "https://a.example/path"), ("FRONTEND_URL", " , "),
            ("FRONTEND_URL", "ftp://a.example"), ("FRONTEND_URL", "https://ok.example,bad"), ("FRONTEND_URL", "http://"),
            ("FRONTEND_URL", "https://a.example?x=1"),
            ("PAYMENT_API_URL", "ftp://x"), ("PAYMENT_API_URL", "not a url"), ("PAYMENT_API_URL", "https://"),
            ("PAYMENT_API_URL", "/status/{memo}"),
            ("PAYMENT_API_MAPPING", "[1]"), ("PAYMENT_API_MAPPING", "{"), ("PAYMENT_API_MAPPING", #"{"status":5}"#),
            ("PAYMENT_API_MAPPING", "paid"),
            ("POLL_INTERVAL", "-1"), ("POLL_INTERVAL", "50ms"), ("POLL_INTERVAL", "0"), ("POLL_INTERVAL", "0.05"),
            ("POLL_INTERVAL", "abc"), ("POLL_INTERVAL", "ms"), ("POLL_INTERVAL", "inf"),
            ("POLL_INTERVAL", "nan"), ("POLL_INTERVAL", "10x"),
            ("POLL_TIMEOUT", "5ms"), ("POLL_TIMEOUT", "soon"), ("POLL_TIMEOUT", "-5"),
            ("POLL_CONCURRENCY", "0"), ("POLL_CONCURRENCY", "257"), ("POLL_CONCURRENCY", "two"), ("POLL_CONCURRENCY", "1.5"),
            ("LOG_LEVEL", "loud"), ("LOG_LEVEL", "warn"),
            ("WEBHOOK_MAX_BODY_BYTES", "255"), ("WEBHOOK_MAX_BODY_BYTES", "lots"), ("WEBHOOK_MAX_BODY_BYTES", "-1"),
            ("RETENTION_DAYS", "0"), ("RETENTION_DAYS", "-3"), ("RETENTION_DAYS", "1.5"), ("RETENTION_DAYS", "week"),
        ]
    )
    func invalid(variable: String, value: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try PayNotifyConfiguration.load(from: [variable: value])
        }
        guard let error else { return }
        #expect(error.variable == variable)
        #expect(!error.message.isEmpty)
        #expect(error.description.hasPrefix("\(variable): "))
    }

    @Test("The error shows the value at fault")
    func errorShowsValue() {
        #expect(throws: ConfigurationError(variable: "PORT", "'70000' is not a whole number from 0 to 65535")) {
            try PayNotifyConfiguration.load(from: ["PORT": "70000"])
        }
        let error = #expect(throws: ConfigurationError.self) {
            try PayNotifyConfiguration.load(from: ["POLL_INTERVAL": "50ms"])
        }
        #expect(error?.message.contains("'50ms'") == true)
    }

    // A duration too large for the clock must be refused like any other bad value, not crash
    // the process at start-up. Run in a child process so a crash fails this test only.
    @Test("A huge POLL_INTERVAL is refused with an error, not a crash")
    func hugePollInterval() async {
        await #expect(processExitsWith: .success) {
            do {
                _ = try PayNotifyConfiguration.load(from: ["POLL_INTERVAL": "1e300"])
                exit(2)
            } catch let error as ConfigurationError {
                exit(error.variable == "POLL_INTERVAL" ? 0 : 3)
            } catch {
                exit(4)
            }
        }
    }

    @Test("A huge POLL_TIMEOUT is refused with an error, not a crash")
    func hugePollTimeout() async {
        await #expect(processExitsWith: .success) {
            do {
                _ = try PayNotifyConfiguration.load(from: ["POLL_TIMEOUT": "99999999999999999h"])
                exit(2)
            } catch let error as ConfigurationError {
                exit(error.variable == "POLL_TIMEOUT" ? 0 : 3)
            } catch {
                exit(4)
            }
        }
    }
}
