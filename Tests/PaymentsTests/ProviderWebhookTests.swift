import Foundation
import Payments
import Testing

/// Bodies built from each provider's documented field list.
@Suite("Provider webhook formats")
struct ProviderWebhookTests {
    private let receivedAt = Date(timeIntervalSince1970: 1_743_465_738)

    static func pay2sTransaction(id: String, content: String, amount: Int = 50_000, type: String = "IN") -> String {
        """
        {"id": "\(id)", "gateway": "ACB", "transactionDate": "2025-04-01 00:02:18", "transactionNumber": "10418",
         "accountNumber": "12805521", "content": "\(content)", "transferType": "\(type)", "transferAmount": \(amount),
         "checksum": "7e2b3bbc03d1083017e3d2a96d3b8e01"}
        """
    }

    @Test("pay2s: several transactions in one call, outgoing ones left out")
    func pay2s() throws {
        let body = """
            {"transactions": [\(Self.pay2sTransaction(id: "1788052", content: "BK12537 GD 789604-040125 00:05:38")),
            \(Self.pay2sTransaction(id: "1788053", content: "chuyen tien", type: "OUT")),
            \(Self.pay2sTransaction(id: "1788054", content: "bk777 thanh toan", amount: 120_000))]}
            """
        let transactions = try Pay2SWebhook(access: .open).transactions(in: Data(body.utf8), receivedAt: self.receivedAt)
        #expect(
            transactions == [
                ReportedTransaction(
                    provider: "pay2s", transactionID: "1788052", amount: 50_000, status: .success,
                    reference: .transferContent("BK12537 GD 789604-040125 00:05:38", code: nil), receivedAt: self.receivedAt
                ),
                ReportedTransaction(
                    provider: "pay2s", transactionID: "1788054", amount: 120_000, status: .success,
                    reference: .transferContent("bk777 thanh toan", code: nil), receivedAt: self.receivedAt
                ),
            ]
        )
    }

    @Test("SePay: the extracted code names the booking when present; money out is left out")
    func sepay() throws {
        let webhook = SePayWebhook(access: .open)
        let body = """
            {"id": 92704, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37", "accountNumber": "0123499999",
             "code": "BK12537", "content": "MBVCB.3278907687.BK12537.CT tu 0123", "transferType": "in", "transferAmount": 2277000,
             "accumulated": 19077000, "subAccount": null, "referenceCode": "MBVCB.3278907687", "description": ""}
            """
        #expect(
            try webhook.transactions(in: Data(body.utf8), receivedAt: self.receivedAt) == [
                ReportedTransaction(
                    provider: "sepay", transactionID: "92704", amount: 2_277_000, status: .success,
                    reference: .transferContent("MBVCB.3278907687.BK12537.CT tu 0123", code: "BK12537"), receivedAt: self.receivedAt
                )
            ]
        )
        let noCode = body.replacingOccurrences(of: #""code": "BK12537""#, with: #""code": null"#)
        #expect(try webhook.transactions(in: Data(noCode.utf8), receivedAt: self.receivedAt).map(\.reference) == [.transferContent("MBVCB.3278907687.BK12537.CT tu 0123", code: nil)])
        let out = body.replacingOccurrences(of: #""transferType": "in""#, with: #""transferType": "out""#)
        #expect(try webhook.transactions(in: Data(out.utf8), receivedAt: self.receivedAt).isEmpty)
    }

    @Test("Casso: data as one object or an array; negative amounts (money out) are left out")
    func casso() throws {
        let webhook = CassoWebhook(access: .open)
        let single = try webhook.transactions(in: Data(CassoSignatureAuthenticatorTests.unicodeBody.utf8), receivedAt: self.receivedAt)
        #expect(single.map(\.transactionID) == ["1234567"])
        #expect(single.first?.amount == 1_500_000)
        #expect(single.first?.reference == .transferContent("BK12537 Thanh toán đơn \"phòng\" 2 đêm\n/ok <&>", code: nil))
        let batch = #"{"error":0,"data":[{"id":1,"description":"BK100 a","amount":1000},{"id":2,"description":"rut tien","amount":-5000}]}"#
        #expect(try webhook.transactions(in: Data(batch.utf8), receivedAt: self.receivedAt).map(\.transactionID) == ["1"])
    }

    @Test(
        "Bodies that are not what the provider sends are refused with the field at fault",
        arguments: [
            ("pay2s", #"{"transaction": []}"#, "transactions is required"),
            ("pay2s", #"{"transactions": {}}"#, "transactions must be an array, not an object"),
            ("pay2s", #"{"transactions": [1]}"#, "transactions[0] must be an object"),
            ("pay2s", #"{"transactions": [{"id": "1", "transferType": "IN", "transferAmount": "50000"}]}"#, "transactions[0]: transferAmount must be a number, not a string"),
            ("pay2s", #"{"transactions": [{"id": "1", "transferType": "SIDEWAYS", "transferAmount": 1}]}"#, "transactions[0]: transferType must be IN or OUT"),
            ("pay2s", #"{"transactions": [{"id": "", "transferType": "IN", "transferAmount": 1}]}"#, "transactions[0]: id must not be empty"),
            ("pay2s", #"{"transactions": [{"id": 1.5, "transferType": "IN", "transferAmount": 1}]}"#, "transactions[0]: id must be a whole number or a string"),
            ("sepay", #"{"id": 1, "transferType": "in", "transferAmount": -1}"#, "transferAmount must not be negative"),
            ("sepay", #"{"id": 1, "transferAmount": 1}"#, "transferType is required"),
            ("sepay", #"{"id": 1, "transferType": "in", "transferAmount": 1, "code": 5}"#, "code must be a string, not a number"),
            ("sepay", "[]", "body must be a JSON object, not an array"),
            ("casso", #"{"error": 0}"#, "data is required"),
            ("casso", #"{"error": 1, "data": {}}"#, "error is 1: Casso reports a failed delivery"),
            ("casso", #"{"error": 0, "data": {"amount": 5}}"#, "data[0]: id is required"),
            ("casso", "{", "body is not valid JSON"),
        ]
    )
    func invalid(provider: String, body: String, message: String) {
        let webhooks: [String: any PaymentWebhook] = ["pay2s": Pay2SWebhook(access: .open), "sepay": SePayWebhook(access: .open), "casso": CassoWebhook(access: .open)]
        #expect(throws: InputValidationError(message)) {
            try webhooks[provider]!.transactions(in: Data(body.utf8), receivedAt: self.receivedAt)
        }
    }

    @Test("A route without its credential refuses everything; an open one accepts anything")
    func access() throws {
        let request = CredentialedRequest(headers: ["authorization": "Bearer whatever"], body: Data())
        #expect(throws: CredentialError(.notConfigured("PAY2S_TOKEN"))) {
            try Pay2SWebhook(access: .closed(variable: "PAY2S_TOKEN")).authenticate(request)
        }
        #expect(try Pay2SWebhook(access: .open).authenticate(request).messageID == nil)
        let token = try SharedTokenAuthenticator(scheme: .bearer, tokens: ["pay2s-token-0123456789"])
        #expect(throws: CredentialError(.wrongCredentials)) { try Pay2SWebhook(access: .authenticated(token)).authenticate(request) }
    }
}
