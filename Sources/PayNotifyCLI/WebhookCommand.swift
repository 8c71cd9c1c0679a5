import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PayNotifyServer
import Payments

/// The reference design's test script as a command: post one payment webhook and print the answer.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Post a payment webhook to a running server and print its answer."
    )

    @Option(help: "Booking id.")
    var booking: String

    @Option(help: "Transaction id (the provider's; a repeat is a duplicate).")
    var transaction: String

    @Option(help: "Amount, a non-negative number.")
    var amount: String

    @Option(help: "Payment status; only success confirms a booking.")
    var status = "success"

    @Option(help: "Webhook URL.")
    var url = "http://127.0.0.1:3000/webhook/payment"

    @Option(help: "Sign with this secret (default: WEBHOOK_SECRET from the environment or .env; unsigned without one).")
    var secret: String?

    @Option(help: "Signing scheme: standard, stripe, bearer or apikey (default: WEBHOOK_SCHEME, else standard).")
    var scheme: String?

    func validate() throws {
        guard let amount = Decimal(string: self.amount, locale: Locale(identifier: "en_US_POSIX")), amount >= 0,
            self.amount.allSatisfy({ $0.isNumber || $0 == "." })
        else { throw ValidationError("--amount must be a non-negative number, got '\(self.amount)'") }
    }

    var body: String {
        let encode = { (text: String) in String(decoding: try! JSONEncoder().encode(text), as: UTF8.self) }
        return #"{"bookingId":\#(encode(self.booking)),"transactionId":\#(encode(self.transaction)),"amount":\#(self.amount),"status":\#(encode(self.status))}"#
    }

    func run() async throws {
        var request = HTTPClientRequest(url: self.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: self.body))
        for (name, value) in try self.signatureHeaders() {
            request.headers.add(name: name, value: value)
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let answer = try await response.body.collect(upTo: 1 << 20)
        print("HTTP \(response.status.code) \(String(buffer: answer))")
        guard (200..<300).contains(response.status.code) else { throw ExitCode.failure }
    }

    /// The scheme's headers when a secret is known, so the request passes a server that checks.
    private func signatureHeaders() throws -> [String: String] {
        let environment = ProcessInfo.processInfo.environment
        let dotEnv = (try? DotEnvFile.parse((try? String(contentsOfFile: ".env", encoding: .utf8)) ?? "")) ?? [:]
        guard let secret = self.secret ?? environment["WEBHOOK_SECRET"] ?? dotEnv["WEBHOOK_SECRET"], !secret.isEmpty else { return [:] }
        let schemeName = (self.scheme ?? environment["WEBHOOK_SCHEME"] ?? dotEnv["WEBHOOK_SCHEME"] ?? "standard").lowercased()
        let schemes: [String: WebhookSigner.Scheme] = ["standard": .standard, "stripe": .stripe, "bearer": .bearer, "apikey": .apiKey]
        guard let scheme = schemes[schemeName] else { throw ValidationError("--scheme must be standard, stripe, bearer or apikey") }
        do {
            return try WebhookSigner(scheme: scheme, secret: secret).headers(for: Data(self.body.utf8))
        } catch {
            throw ValidationError("cannot sign: \(error)")
        }
    }
}
