import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

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
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let answer = try await response.body.collect(upTo: 1 << 20)
        print("HTTP \(response.status.code) \(String(buffer: answer))")
        guard (200..<300).contains(response.status.code) else { throw ExitCode.failure }
    }
}
