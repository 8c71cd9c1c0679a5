import Foundation
import Payments
import Testing

@Suite("Standard Webhooks signer")
struct StandardWebhooksSignerTests {
    typealias F = WebhookFixtures

    @Test("It produces the specification's published example signature")
    func knownVector() throws {
        // From the Standard Webhooks reference libraries' test suites.
        let headers = try StandardWebhooksSigner(secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]).headers(
            for: Data(#"{"test": 2432232314}"#.utf8), id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: Date(timeIntervalSince1970: 1_614_265_330)
        )
        #expect(headers == [
            "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "webhook-timestamp": "1614265330",
            "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ])
    }

    @Test("With several secrets it signs with each, and a verifier knowing any one of them accepts")
    func rotation() throws {
        let body = Data(#"{"id":"evt_1"}"#.utf8)
        let signedAt = Date()
        let headers = try StandardWebhooksSigner(secrets: [F.standardSecret, F.otherStandardSecret]).headers(for: body, id: "evt_1", timestamp: signedAt)
        #expect(headers["webhook-signature"]?.split(separator: " ").count == 2)
        for secret in [F.standardSecret, F.otherStandardSecret] {
            let verifier = try StandardWebhooksAuthenticator(secrets: [secret])
            #expect(try verifier.authenticate(CredentialedRequest(headers: headers, body: body, receivedAt: signedAt)).messageID == "evt_1")
        }
        let stranger = try StandardWebhooksAuthenticator(secrets: ["whsec_" + Data(repeating: 9, count: 32).base64EncodedString()])
        #expect(throws: CredentialError.self) {
            try stranger.authenticate(CredentialedRequest(headers: headers, body: body, receivedAt: signedAt))
        }
    }

    @Test("Secrets that are not whsec_<base64 of 16+ bytes> are refused", arguments: ["", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_AAECAwQFBgcICQoLDA0O"])
    func badSecrets(secret: String) {
        #expect(throws: SecretError.self) { try StandardWebhooksSigner(secrets: [secret]) }
    }

    @Test("No secret at all is refused")
    func noSecret() {
        #expect(throws: SecretError.self) { try StandardWebhooksSigner(secrets: []) }
    }
}
