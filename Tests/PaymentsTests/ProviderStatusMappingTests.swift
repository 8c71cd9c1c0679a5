import Foundation
import Payments
import Testing

@Suite("Provider status mapping")
struct ProviderStatusMappingTests {
    @Test("The default mapping reads the reference status API answer")
    func defaultMapping() throws {
        let mapping = ProviderStatusMapping()
        #expect(mapping.status == "status")
        #expect(mapping.paidValue == "paid")
        #expect(mapping.transactionId == "transactionId")
        #expect(mapping.amount == "amount")
        let status = try mapping.interpret(Data(#"{"status":"paid","transactionId":"t","amount":5}"#.utf8))
        #expect(status == ProviderPaymentStatus(isPaid: true, transactionID: "t", amount: 5))
    }

    @Test("An answer with another status is not paid", arguments: [
        #"{"status":"pending"}"#,
        #"{"status":"PAID","transactionId":"t","amount":5}"#,
        #"{"status":null}"#,
        #"{"status":"paid "}"#,
    ])
    func notPaid(body: String) throws {
        #expect(try ProviderStatusMapping().interpret(Data(body.utf8)).isPaid == false)
    }

    @Test("A pending answer without transaction or amount has neither")
    func pending() throws {
        let status = try ProviderStatusMapping().interpret(Data(#"{"status":"pending"}"#.utf8))
        #expect(status == ProviderPaymentStatus(isPaid: false, transactionID: nil, amount: nil))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let mapping: ProviderStatusMapping
        let body: String
        let expected: ProviderPaymentStatus
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        .init(
            name: "dotted paths with a custom paid value",
            mapping: ProviderStatusMapping(status: "data.state", paidValue: "PAID", transactionId: "data.payment.id", amount: "data.payment.total"),
            body: #"{"data":{"state":"PAID","payment":{"id":"x-1","total":"10.50"}}}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: "x-1", amount: decimal("10.5"))
        ),
        .init(
            name: "dotted path, other value",
            mapping: ProviderStatusMapping(status: "data.state", paidValue: "PAID"),
            body: #"{"data":{"state":"WAITING"},"transactionId":"t"}"#,
            expected: ProviderPaymentStatus(isPaid: false, transactionID: "t", amount: nil)
        ),
        .init(
            name: "numeric transaction id and string amount",
            mapping: ProviderStatusMapping(),
            body: #"{"status":"paid","transactionId":12345,"amount":"250000"}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: "12345", amount: 250_000)
        ),
        .init(
            name: "numeric transaction id beyond 2^53 kept exactly",
            mapping: ProviderStatusMapping(),
            body: #"{"status":"paid","transactionId":9007199254740993,"amount":1}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: "9007199254740993", amount: 1)
        ),
        .init(
            name: "exact fractional amounts, as number and as string",
            mapping: ProviderStatusMapping(transactionId: "tx", amount: "amountText"),
            body: #"{"status":"paid","tx":"a","amount":0.1,"amountText":"0.1"}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: "a", amount: decimal("0.1"))
        ),
        .init(
            name: "numeric status compared as text",
            mapping: ProviderStatusMapping(status: "code", paidValue: "1"),
            body: #"{"code":1}"#,
            expected: ProviderPaymentStatus(isPaid: true)
        ),
        .init(
            name: "boolean status compared as text",
            mapping: ProviderStatusMapping(status: "paid", paidValue: "true"),
            body: #"{"paid":true,"transactionId":"t"}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: "t")
        ),
        .init(
            name: "unusable amount and transaction id are left out",
            mapping: ProviderStatusMapping(),
            body: #"{"status":"paid","transactionId":{"id":1},"amount":"lots"}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: nil, amount: nil)
        ),
        .init(
            name: "amount text with a thousands separator is not a number",
            mapping: ProviderStatusMapping(),
            body: #"{"status":"paid","transactionId":"t","amount":"1,000"}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: "t", amount: nil)
        ),
        .init(
            name: "amount text with trailing garbage is not a number",
            mapping: ProviderStatusMapping(),
            body: #"{"status":"paid","transactionId":"t","amount":"12abc"}"#,
            expected: ProviderPaymentStatus(isPaid: true, transactionID: "t", amount: nil)
        ),
    ]

    @Test("Mappings read the fields they name", arguments: cases)
    func mapped(_ testCase: Case) throws {
        #expect(try testCase.mapping.interpret(Data(testCase.body.utf8)) == testCase.expected)
    }

    @Test("An answer without the status field is an error", arguments: [
        (ProviderStatusMapping(), #"{"state":"paid"}"#, "status API answer has no 'status' field"),
        (ProviderStatusMapping(status: "data.state"), #"{"data":{"status":"paid"}}"#, "status API answer has no 'data.state' field"),
        (ProviderStatusMapping(status: "data.state"), #"{"data":"paid"}"#, "status API answer has no 'data.state' field"),
    ])
    func missingStatus(mapping: ProviderStatusMapping, body: String, message: String) {
        #expect(throws: ProviderResponseError(message)) {
            try mapping.interpret(Data(body.utf8))
        }
    }

    @Test("An answer that is not a JSON object is an error", arguments: [
        ("<html>502 Bad Gateway</html>", "status API answer: body is not valid JSON"),
        ("", "status API answer: body is not valid JSON"),
        (#"["paid"]"#, "status API answer: body must be a JSON object, not an array"),
    ])
    func garbage(body: String, message: String) {
        #expect(throws: ProviderResponseError(message)) {
            try ProviderStatusMapping().interpret(Data(body.utf8))
        }
    }

    @Test("Decoding a partial mapping keeps the defaults for absent keys")
    func decodePartial() throws {
        let mapping = try JSONDecoder().decode(ProviderStatusMapping.self, from: Data(#"{"status":"data.state","paidValue":"PAID"}"#.utf8))
        #expect(mapping == ProviderStatusMapping(status: "data.state", paidValue: "PAID", transactionId: "transactionId", amount: "amount"))
        #expect(try JSONDecoder().decode(ProviderStatusMapping.self, from: Data("{}".utf8)) == ProviderStatusMapping())
    }

    @Test("A mapping survives encoding and decoding")
    func roundTrip() throws {
        let mapping = ProviderStatusMapping(status: "a.b", paidValue: "OK", transactionId: "c", amount: "d.e")
        let decoded = try JSONDecoder().decode(ProviderStatusMapping.self, from: try JSONEncoder().encode(mapping))
        #expect(decoded == mapping)
    }

    @Test("A mapping with a field of the wrong type does not decode")
    func decodeWrongType() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ProviderStatusMapping.self, from: Data(#"{"status":5}"#.utf8))
        }
    }
}
