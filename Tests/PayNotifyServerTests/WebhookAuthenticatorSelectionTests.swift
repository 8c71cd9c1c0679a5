import Foundation
import Payments
import Testing

@testable import PayNotifyServer

@Suite("Webhook authenticator chosen by the configuration")
struct WebhookAuthenticatorSelectionTests {
    static let body = Data(#"{"bookingId":"b","transactionId":"t","amount":1,"status":"success"}"#.utf8)

    private func authenticator(_ variables: [String: String]) throws -> (any RequestAuthenticator)? {
        try PayNotifyApplication.webhookAuthenticator(for: PayNotifyConfiguration.load(from: variables).security)
    }

    @Test("Without WEBHOOK_SECRET, webhooks are not authenticated", arguments: SecurityConfiguration.WebhookScheme.allCases)
    func noSecret(scheme: SecurityConfiguration.WebhookScheme) throws {
        #expect(try self.authenticator(["WEBHOOK_SCHEME": scheme.rawValue]) == nil)
    }

    @Test(
        "Each scheme accepts what the signer of that scheme sends, and refuses a wrong secret",
        arguments: [
            (SecurityConfiguration.WebhookScheme.standard, WebhookSigner.Scheme.standard, "whsec_AAECAwQFBgcICQoLDA0ODw==", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            (.stripe, .stripe, "sk_live_0123456789abcdef", "sk_live_fedcba9876543210"),
            (.bearer, .bearer, "pay2s-token-0123456789", "pay2s-token-9876543210"),
            (.apikey, .apiKey, "sepay-key-0123456789", "sepay-key-9876543210"),
        ]
    )
    func schemes(scheme: SecurityConfiguration.WebhookScheme, signerScheme: WebhookSigner.Scheme, secret: String, wrongSecret: String) throws {
        let authenticator = try #require(try self.authenticator(["WEBHOOK_SCHEME": scheme.rawValue, "WEBHOOK_SECRET": secret]))
        let headers = try WebhookSigner(scheme: signerScheme, secret: secret).headers(for: Self.body)
        _ = try authenticator.authenticate(CredentialedRequest(headers: headers, body: Self.body))

        let wrong = try WebhookSigner(scheme: signerScheme, secret: wrongSecret).headers(for: Self.body)
        #expect(throws: CredentialError.self) { try authenticator.authenticate(CredentialedRequest(headers: wrong, body: Self.body)) }
    }

    @Test("The previous secret is accepted too while rotating")
    func rotation() throws {
        let current = "whsec_AAECAwQFBgcICQoLDA0ODw=="
        let previous = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let authenticator = try #require(try self.authenticator(["WEBHOOK_SECRET": current, "WEBHOOK_SECRET_PREVIOUS": previous]))
        for secret in [current, previous] {
            let headers = try WebhookSigner(scheme: .standard, secret: secret).headers(for: Self.body, id: "msg_\(secret.count)")
            #expect(try authenticator.authenticate(CredentialedRequest(headers: headers, body: Self.body)).messageID == "msg_\(secret.count)")
        }
    }

    @Test("WEBHOOK_TOLERANCE is the authenticator's tolerance")
    func tolerance() throws {
        let secret = "whsec_AAECAwQFBgcICQoLDA0ODw=="
        let authenticator = try #require(try self.authenticator(["WEBHOOK_SECRET": secret, "WEBHOOK_TOLERANCE": "10s"]))
        let signedAt = Date(timeIntervalSince1970: 1_700_000_000)
        let headers = try WebhookSigner(scheme: .standard, secret: secret).headers(for: Self.body, timestamp: signedAt)
        _ = try authenticator.authenticate(CredentialedRequest(headers: headers, body: Self.body, receivedAt: signedAt.addingTimeInterval(10)))
        #expect(throws: CredentialError(.timestampOutsideTolerance)) {
            try authenticator.authenticate(CredentialedRequest(headers: headers, body: Self.body, receivedAt: signedAt.addingTimeInterval(11)))
        }
    }

    @Test(
        "A secret the scheme cannot use fails as a WEBHOOK_SECRET configuration error",
        arguments: [
            ("standard", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),  // no whsec_ prefix
            ("standard", "whsec_AAECAwQFBgcICQoLDA0O"),  // 15 bytes
            ("standard", "whsec_***"),
            ("stripe", "short"),
            ("bearer", "short-token"),
            ("apikey", "short-key"),
        ]
    )
    func unusableSecret(scheme: String, secret: String) throws {
        let security = try PayNotifyConfiguration.load(from: ["WEBHOOK_SCHEME": scheme, "WEBHOOK_SECRET": secret]).security
        #expect {
            try PayNotifyApplication.webhookAuthenticator(for: security)
        } throws: { error in
            (error as? ConfigurationError)?.variable == "WEBHOOK_SECRET"
        }
    }

    @Test("A usable current secret with an unusable previous one still fails")
    func unusablePreviousSecret() throws {
        let security = try PayNotifyConfiguration.load(from: [
            "WEBHOOK_SECRET": "whsec_AAECAwQFBgcICQoLDA0ODw==", "WEBHOOK_SECRET_PREVIOUS": "not-a-whsec-secret",
        ]).security
        #expect {
            try PayNotifyApplication.webhookAuthenticator(for: security)
        } throws: { error in
            (error as? ConfigurationError)?.variable == "WEBHOOK_SECRET"
        }
    }
}
