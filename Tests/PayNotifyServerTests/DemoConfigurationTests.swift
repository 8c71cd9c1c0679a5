import Testing

@testable import PayNotifyServer

@Suite("DEMO: when the demo page and its simulate button are served")
struct DemoConfigurationTests {
    @Test(
        "The page follows DEMO, else development mode; the simulate button needs development mode",
        arguments: [
            ([:], true, true),
            (["DEMO": "0"], false, false),
            (["DEMO": "off"], false, false),
            (["DEMO": "1"], true, true),
            (SecurityConfigurationTests.production, false, false),
            (SecurityConfigurationTests.production.merging(["DEMO": "1"]) { $1 }, true, false),
            (SecurityConfigurationTests.production.merging(["DEMO": "TRUE"]) { $1 }, true, false),
        ] as [([String: String], Bool, Bool)]
    )
    func servedWhen(variables: [String: String], page: Bool, simulate: Bool) throws {
        let configuration = try PayNotifyConfiguration.load(from: variables)
        #expect(configuration.servesDemoPage == page)
        #expect(configuration.simulatesPayments == simulate)
    }

    @Test("A DEMO value that is not a yes or a no stops start-up, naming DEMO", arguments: ["maybe", "2", "enabled"])
    func refused(value: String) {
        #expect(throws: ConfigurationError(variable: "DEMO", "'\(value)' is not 1 or 0 (true/false, yes/no, on/off)")) {
            try PayNotifyConfiguration.load(from: ["DEMO": value])
        }
    }
}
