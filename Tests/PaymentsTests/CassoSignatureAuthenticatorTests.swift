import Foundation
import Payments
import Testing

@Suite("Casso webhook v2 signatures")
struct CassoSignatureAuthenticatorTests {
    /// The body, secret and header of Casso's published Python/Go/PHP sample
    /// (CassoHQ/casso-webhook-v2-verify-signature), keys in the sample's order.
    static let sampleBody = #"""
        {"error": 0, "data": {"id": 0, "reference": "MA_GIAO_DICH_THU_NGHIEM", "description": "giao dich thu nghiem",
        "amount": 599000, "runningBalance": 25000000, "transactionDateTime": "2024-10-03 15:06:37", "accountNumber": "88888888",
        "bankName": "VPBank", "bankAbbreviation": "VPB", "virtualAccountNumber": "", "virtualAccountName": "",
        "counterAccountName": "NGUYEN VAN A", "counterAccountNumber": "8888888888", "counterAccountBankId": "970415",
        "counterAccountBankName": "VietinBank"}}
        """#
    static let sampleSecret = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
    static let sampleHeader =
        "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"

    /// Vietnamese text, escapes and a fraction, signed by Node's own `JSON.stringify` over the
    /// sample's `sortObjDataByKey` (run with node 18 when this test was written).
    static let unicodeBody = #"""
        {"error":0,"data":{"id":1234567,"reference":"FT25091234567890","description":"BK12537 Thanh toán đơn \"phòng\" 2 đêm\n/ok <&>",
        "amount":1500000,"runningBalance":26500000.5,"transactionDateTime":"2025-04-01 00:02:18","accountNumber":"0123456789",
        "bankName":"Vietcombank","bankAbbreviation":"VCB","virtualAccountNumber":"","virtualAccountName":"","counterAccountName":"NGUYỄN VĂN A",
        "counterAccountNumber":"9876543210","counterAccountBankId":"970436","counterAccountBankName":"Vietcombank"}}
        """#
    static let unicodeHeader =
        "t=1743440538000,v1=26fab3270c829da1ef84997626eab92e1cb1847efcd9f5a4e13dcc3b85cacf36125196399db0bd464b536801b9fc5818ba8fd1fcca92df280ab46562a765e506"

    private func request(_ body: String, header: String?) -> CredentialedRequest {
        CredentialedRequest(headers: header.map { ["X-Casso-Signature": $0] } ?? [:], body: Data(body.utf8))
    }

    @Test("Casso's published sample verifies: the whole body, keys sorted, whatever order and spacing it came in")
    func publishedSample() throws {
        let authenticator = try CassoSignatureAuthenticator(secrets: [Self.sampleSecret])
        _ = try authenticator.authenticate(self.request(Self.sampleBody, header: Self.sampleHeader))
    }

    @Test("Non-ASCII text is signed as JSON.stringify prints it: raw, only quotes, backslashes and controls escaped")
    func unicode() throws {
        let authenticator = try CassoSignatureAuthenticator(secrets: ["casso-test-secret-0123456789abcdef"])
        _ = try authenticator.authenticate(self.request(Self.unicodeBody, header: Self.unicodeHeader))
    }

    @Test(
        "Forged, modified or malformed deliveries are refused",
        arguments: [
            (CassoSignatureAuthenticatorTests.sampleBody, nil, "missing x-casso-signature header"),
            (CassoSignatureAuthenticatorTests.sampleBody, "v1=ed0a", "malformed x-casso-signature header"),
            (CassoSignatureAuthenticatorTests.sampleBody, "t=1727948258788", "malformed x-casso-signature header"),
            (CassoSignatureAuthenticatorTests.sampleBody, "t=abc,v1=ed0a", "malformed x-casso-signature header"),
            (CassoSignatureAuthenticatorTests.sampleBody, "t=1727948258789," + CassoSignatureAuthenticatorTests.sampleHeader.split(separator: ",")[1], "signature does not match"),
            (CassoSignatureAuthenticatorTests.sampleBody.replacingOccurrences(of: "599000", with: "599001"), CassoSignatureAuthenticatorTests.sampleHeader, "signature does not match"),
            ("not json", CassoSignatureAuthenticatorTests.sampleHeader, "signature does not match"),
        ] as [(String, String?, String)]
    )
    func refused(body: String, header: String?, reason: String) throws {
        let authenticator = try CassoSignatureAuthenticator(secrets: [Self.sampleSecret])
        #expect {
            try authenticator.authenticate(self.request(body, header: header))
        } throws: { error in
            (error as? CredentialError)?.description == reason
        }
    }

    @Test("Another secret does not verify; short secrets are refused")
    func secrets() throws {
        let other = try CassoSignatureAuthenticator(secrets: ["another-secret-0123456789"])
        #expect(throws: CredentialError(.signatureMismatch)) { try other.authenticate(self.request(Self.sampleBody, header: Self.sampleHeader)) }
        #expect(throws: SecretError.self) { try CassoSignatureAuthenticator(secrets: ["short"]) }
    }

    @Test("WebhookSigner signs what the authenticator verifies")
    func signer() throws {
        let secret = "casso-test-secret-0123456789abcdef"
        let body = Data(Self.unicodeBody.utf8)
        let headers = try WebhookSigner(scheme: .casso, secret: secret).headers(for: body, timestamp: Date(timeIntervalSince1970: 1_743_440_538))
        #expect(headers["x-casso-signature"] == Self.unicodeHeader)
    }
}
