import Foundation
import Payments
import Testing

@testable import PayNotifyServer

@Suite("Merchant callback configuration")
struct CallbackConfigurationTests {
    let secret = "whsec_" + Data(repeating: 3, count: 32).base64EncodedString()
    let previous = "whsec_" + Data(repeating: 4, count: 24).base64EncodedString()

    @Test("Off by default, with the three-day schedule, a 10 s limit and 8 in flight")
    func defaults() throws {
        let callbacks = try PayNotifyConfiguration.load(from: [:]).callbacks
        #expect(!callbacks.isEnabled)
        #expect(callbacks.retryPolicy == CallbackRetryPolicy())
        #expect(callbacks.timeout == .seconds(10))
        #expect(callbacks.concurrency == 8)
    }

    @Test("A URL with secrets (space-separated for rotation), a schedule, a timeout and a concurrency")
    func everything() throws {
        let callbacks = try CallbackConfiguration.load(from: [
            "MERCHANT_CALLBACK_URL": "https://shop.example/hooks/paynotify",
            "MERCHANT_CALLBACK_SECRET": "\(self.secret)  \(self.previous)",
            "MERCHANT_CALLBACK_SCHEDULE": "500ms, 5s,2m,1h",
            "MERCHANT_CALLBACK_TIMEOUT": "2.5",
            "MERCHANT_CALLBACK_CONCURRENCY": "3",
        ])
        #expect(callbacks.url == "https://shop.example/hooks/paynotify")
        #expect(callbacks.secrets == [self.secret, self.previous])
        #expect(callbacks.retryPolicy.schedule == [.milliseconds(500), .seconds(5), .seconds(120), .seconds(3600)])
        #expect(callbacks.timeout == .milliseconds(2500))
        #expect(callbacks.concurrency == 3)
        #expect(PayNotifyConfiguration.variables.map(\.name).contains("MERCHANT_CALLBACK_SCHEDULE"))
    }

    static let validSecret = "whsec_AAECAwQFBgcICQoLDA0ODw=="
    static let refusals: [([String: String], String)] = [
        (["MERCHANT_CALLBACK_URL": "https://shop.example/x"], "MERCHANT_CALLBACK_SECRET"),
        (["MERCHANT_CALLBACK_URL": "shop.example/x", "MERCHANT_CALLBACK_SECRET": validSecret], "MERCHANT_CALLBACK_URL"),
        (["MERCHANT_CALLBACK_URL": "https://shop.example/x", "MERCHANT_CALLBACK_SECRET": validSecret + " secret2"], "MERCHANT_CALLBACK_SECRET"),
        (["MERCHANT_CALLBACK_SECRET": validSecret], "MERCHANT_CALLBACK_SECRET"),
        (["MERCHANT_CALLBACK_SCHEDULE": "5s,2d"], "MERCHANT_CALLBACK_SCHEDULE"),
        (["MERCHANT_CALLBACK_SCHEDULE": "25h"], "MERCHANT_CALLBACK_SCHEDULE"),
        (["MERCHANT_CALLBACK_SCHEDULE": Array(repeating: "1s", count: 51).joined(separator: ",")], "MERCHANT_CALLBACK_SCHEDULE"),
        (["MERCHANT_CALLBACK_TIMEOUT": "0"], "MERCHANT_CALLBACK_TIMEOUT"),
        (["MERCHANT_CALLBACK_CONCURRENCY": "many"], "MERCHANT_CALLBACK_CONCURRENCY"),
    ]

    @Test("Unusable settings are refused, naming the variable", arguments: Self.refusals)
    func refused(variables: [String: String], variable: String) {
        #expect(throws: ConfigurationError.self) { try CallbackConfiguration.load(from: variables) }
        do {
            _ = try CallbackConfiguration.load(from: variables)
        } catch {
            #expect(error.variable == variable)
        }
    }
}
