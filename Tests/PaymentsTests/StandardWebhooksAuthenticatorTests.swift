import Foundation
import Testing

@testable import Payments

@Suite("Standard Webhooks authentication")
struct StandardWebhooksAuthenticatorTests {
    typealias F = WebhookFixtures

    let authenticator: StandardWebhooksAuthenticator

    init() throws {
        self.authenticator = try StandardWebhooksAuthenticator(secrets: [F.standardSecret])
    }

    private func signedHeaders(
        secret: String = F.standardSecret,
        body: Data = F.body,
        id: String = "msg_1",
        at timestamp: Date = F.signedAt
    ) throws -> [String: String] {
        try WebhookSigner(scheme: .standard, secret: secret).headers(for: body, id: id, timestamp: timestamp)
    }

    @Test("The specification's published example verifies, with its webhook-id as message id")
    func knownVector() throws {
        // From the Standard Webhooks / Svix reference libraries' test suites.
        let request = CredentialedRequest(
            headers: [
                "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp": "1614265330",
                "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            ],
            body: Data(#"{"test": 2432232314}"#.utf8),
            receivedAt: Date(timeIntervalSince1970: 1_614_265_330)
        )
        #expect(try self.authenticator.authenticate(request) == AcceptedCredentials(messageID: "msg_p5jXN8AQM9LWM0D4loKWxJek"))
    }

    @Test("The signer produces the specification's example signature")
    func signerMatchesKnownVector() throws {
        let headers = try WebhookSigner(scheme: .standard, secret: F.standardSecret).headers(
            for: Data(#"{"test": 2432232314}"#.utf8),
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: Date(timeIntervalSince1970: 1_614_265_330)
        )
        #expect(headers == [
            "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "webhook-timestamp": "1614265330",
            "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ])
    }

    @Test("While rotating, both the current and the previous secret are accepted, nothing else")
    func rotation() throws {
        let rotating = try StandardWebhooksAuthenticator(secrets: [F.otherStandardSecret, F.standardSecret])
        for secret in [F.otherStandardSecret, F.standardSecret] {
            let request = CredentialedRequest(headers: try self.signedHeaders(secret: secret), body: F.body, receivedAt: F.signedAt)
            #expect(try rotating.authenticate(request).messageID == "msg_1")
        }
        let third = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()
        let request = CredentialedRequest(headers: try self.signedHeaders(secret: third), body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.signatureMismatch)) { try rotating.authenticate(request) }
    }

    @Test("A missing or empty header is named", arguments: ["webhook-id", "webhook-timestamp", "webhook-signature"])
    func missingHeader(name: String) throws {
        var headers = try self.signedHeaders()
        headers[name] = nil
        let missing = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.missingHeader(name))) { try self.authenticator.authenticate(missing) }

        headers[name] = ""
        let empty = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.missingHeader(name))) { try self.authenticator.authenticate(empty) }
    }

    @Test("A timestamp that is not a finite number is malformed", arguments: ["abc", "1700000000abc", "inf", "nan", "-", "17e", "1,700,000,000"])
    func malformedTimestamp(timestamp: String) throws {
        var headers = try self.signedHeaders()
        headers["webhook-timestamp"] = timestamp
        let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.malformedHeader("webhook-timestamp"))) { try self.authenticator.authenticate(request) }
    }

    @Test(
        "Signatures older or newer than the tolerance (300 s) are refused; the bounds themselves are accepted",
        arguments: [(-301.0, false), (-300.0, true), (-1.0, true), (0.0, true), (1.0, true), (300.0, true), (301.0, false), (86_400.0, false), (-86_400.0, false)]
    )
    func tolerance(offset: TimeInterval, accepted: Bool) throws {
        // `offset` is how much later than the signature the request arrives (negative: from the future).
        let request = CredentialedRequest(headers: try self.signedHeaders(), body: F.body, receivedAt: F.signedAt.addingTimeInterval(offset))
        if accepted {
            #expect(try self.authenticator.authenticate(request).messageID == "msg_1")
        } else {
            #expect(throws: CredentialError(.timestampOutsideTolerance)) { try self.authenticator.authenticate(request) }
        }
    }

    @Test("A custom tolerance is honoured")
    func customTolerance() throws {
        let strict = try StandardWebhooksAuthenticator(secrets: [F.standardSecret], tolerance: 10)
        let headers = try self.signedHeaders()
        #expect(try strict.authenticate(CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt.addingTimeInterval(10))).messageID == "msg_1")
        #expect(throws: CredentialError(.timestampOutsideTolerance)) {
            try strict.authenticate(CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt.addingTimeInterval(11)))
        }
    }

    @Test("Changing any byte of the body breaks the signature", arguments: [0, 5, 15, 29])
    func bodyMutation(index: Int) throws {
        let request = CredentialedRequest(headers: try self.signedHeaders(), body: F.body.flippingByte(at: index), receivedAt: F.signedAt)
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
    }

    @Test("Appending to the body or truncating it breaks the signature")
    func bodyLength() throws {
        let headers = try self.signedHeaders()
        for body in [F.body + Data(" ".utf8), F.body.dropLast(), Data()] {
            let request = CredentialedRequest(headers: headers, body: body, receivedAt: F.signedAt)
            #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
        }
    }

    @Test("The id and timestamp are signed too: changing either breaks the signature")
    func signedHeaderMutation() throws {
        var otherID = try self.signedHeaders()
        otherID["webhook-id"] = "msg_2"
        #expect(throws: CredentialError(.signatureMismatch)) {
            try self.authenticator.authenticate(CredentialedRequest(headers: otherID, body: F.body, receivedAt: F.signedAt))
        }
        var otherTimestamp = try self.signedHeaders()
        otherTimestamp["webhook-timestamp"] = "1700000001"
        #expect(throws: CredentialError(.signatureMismatch)) {
            try self.authenticator.authenticate(CredentialedRequest(headers: otherTimestamp, body: F.body, receivedAt: F.signedAt))
        }
    }

    @Test("A signature made with another secret is refused")
    func wrongSecret() throws {
        let request = CredentialedRequest(headers: try self.signedHeaders(secret: F.otherStandardSecret), body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
    }

    @Test("A flipped bit in the signature itself is refused")
    func signatureMutation() throws {
        var headers = try self.signedHeaders()
        let header = try #require(headers["webhook-signature"])
        let signature = try #require(Data(base64Encoded: String(header.dropFirst(3))))
        headers["webhook-signature"] = "v1," + signature.flippingByte(at: 31).base64EncodedString()
        let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
    }

    @Test("With several signatures, one valid v1 signature is enough, wherever it is")
    func multipleSignatures() throws {
        let valid = try #require(try self.signedHeaders()["webhook-signature"])
        let wrong = try #require(try self.signedHeaders(secret: F.otherStandardSecret)["webhook-signature"])
        for list in ["\(wrong) \(valid)", "\(valid) \(wrong)", "v1a,xyz \(valid)", "v2,abc \(wrong) \(valid)", "v1,!!! \(valid)"] {
            var headers = try self.signedHeaders()
            headers["webhook-signature"] = list
            let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
            #expect(try self.authenticator.authenticate(request).messageID == "msg_1", "\(list)")
        }
    }

    @Test("Several signatures, none valid, are a mismatch")
    func multipleWrongSignatures() throws {
        let wrong = try #require(try self.signedHeaders(secret: F.otherStandardSecret)["webhook-signature"])
        var headers = try self.signedHeaders()
        headers["webhook-signature"] = "\(wrong) v1,AAAA"
        let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
    }

    @Test("A signature header without any usable v1 entry is malformed")
    func malformedSignature() throws {
        let valid = try #require(try self.signedHeaders()["webhook-signature"])
        let base64 = String(valid.dropFirst(3))
        for value in ["v2,\(base64)", base64, "v1", "v1,", "v1,!!!not-base64!!!", "v1:\(base64)"] {
            var headers = try self.signedHeaders()
            headers["webhook-signature"] = value
            let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
            #expect(throws: CredentialError(.malformedHeader("webhook-signature")), "\(value)") {
                try self.authenticator.authenticate(request)
            }
        }
    }

    @Test("Header names are matched whatever their case")
    func caseInsensitiveHeaders() throws {
        let signed = try self.signedHeaders()
        let headers = [
            "Webhook-Id": try #require(signed["webhook-id"]),
            "WEBHOOK-TIMESTAMP": try #require(signed["webhook-timestamp"]),
            "Webhook-Signature": try #require(signed["webhook-signature"]),
        ]
        let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
        #expect(request.headers.keys.sorted() == ["webhook-id", "webhook-signature", "webhook-timestamp"])
        #expect(try self.authenticator.authenticate(request).messageID == "msg_1")
    }

    @Test(
        "Unusable secrets are refused when the authenticator is made",
        arguments: [
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  // no whsec_ prefix
            "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  // prefix is case-sensitive
            "whsec_",  // no key at all
            "whsec_!!!not base64!!!",
            "whsec_AAECAwQFBgcICQoLDA0O",  // 15 bytes
            "whsec_" + Data(repeating: 1, count: 8).base64EncodedString(),  // 8 bytes
        ]
    )
    func invalidSecret(secret: String) {
        #expect(throws: SecretError.self) { try StandardWebhooksAuthenticator(secrets: [secret]) }
        #expect(throws: SecretError.self) { try StandardWebhooksAuthenticator(secrets: [F.standardSecret, secret]) }
        #expect(throws: SecretError.self) { try WebhookSigner(scheme: .standard, secret: secret).headers(for: F.body) }
    }

    @Test("No secret at all is refused")
    func noSecret() {
        #expect(throws: SecretError("no secret given")) { try StandardWebhooksAuthenticator(secrets: []) }
    }

    @Test("A 16-byte key is the shortest accepted")
    func shortestSecret() throws {
        #expect(Data(base64Encoded: String(F.otherStandardSecret.dropFirst(6)))?.count == 16)
        let authenticator = try StandardWebhooksAuthenticator(secrets: [F.otherStandardSecret])
        let request = CredentialedRequest(headers: try self.signedHeaders(secret: F.otherStandardSecret), body: F.body, receivedAt: F.signedAt)
        #expect(try authenticator.authenticate(request).messageID == "msg_1")
    }
}
