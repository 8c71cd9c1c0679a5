import Logging
import Testing

@testable import PayNotifyServer

@Suite("Configuration precedence: .env < environment < flags")
struct ConfigurationPrecedenceTests {
    let dotEnv = """
        PORT=1001
        HOST=dotenv-host
        LOG_LEVEL=debug
        """

    @Test("Flags win over the environment, which wins over .env; untouched .env values stay")
    func allThree() throws {
        let configuration = try PayNotifyConfiguration.load(
            flags: ["PORT": "3003"],
            environment: ["PORT": "2002", "HOST": "env-host"],
            dotEnvText: dotEnv
        )
        #expect(configuration.port == 3003)
        #expect(configuration.host == "env-host")
        #expect(configuration.logLevel == .debug)
    }

    @Test("The environment wins over .env")
    func environmentOverDotEnv() throws {
        let configuration = try PayNotifyConfiguration.load(flags: [:], environment: ["PORT": "2002"], dotEnvText: dotEnv)
        #expect(configuration.port == 2002)
        #expect(configuration.host == "dotenv-host")
    }

    @Test(".env alone is used")
    func dotEnvAlone() throws {
        let configuration = try PayNotifyConfiguration.load(flags: [:], environment: [:], dotEnvText: dotEnv)
        #expect(configuration.port == 1001)
        #expect(configuration.host == "dotenv-host")
        #expect(configuration.logLevel == .debug)
    }

    @Test("Without a .env file the defaults fill in")
    func noDotEnv() throws {
        let configuration = try PayNotifyConfiguration.load(flags: ["HOST": "flag-host"], environment: [:], dotEnvText: nil)
        #expect(configuration.host == "flag-host")
        #expect(configuration.port == 3000)
    }

    @Test("A bad value that is overridden does not matter")
    func overriddenBadValue() throws {
        let configuration = try PayNotifyConfiguration.load(
            flags: ["RETENTION_DAYS": "7"],
            environment: ["PORT": "8080", "RETENTION_DAYS": "never"],
            dotEnvText: "PORT=abc"
        )
        #expect(configuration.port == 8080)
        #expect(configuration.retentionDays == 7)
    }

    @Test("A bad value that wins is reported under its variable")
    func winningBadValue() {
        let error = #expect(throws: ConfigurationError.self) {
            try PayNotifyConfiguration.load(flags: ["PORT": "abc"], environment: ["PORT": "8080"], dotEnvText: "PORT=9090")
        }
        #expect(error?.variable == "PORT")
    }

    @Test("A malformed .env file is reported with its line")
    func malformedDotEnv() {
        let error = #expect(throws: ConfigurationError.self) {
            try PayNotifyConfiguration.load(flags: [:], environment: [:], dotEnvText: "PORT=8080\nthis is not a setting\n")
        }
        #expect(error?.variable == ".env line 2")
    }
}
