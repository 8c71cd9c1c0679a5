import Foundation
import Testing

@testable import Payments

@Suite("Stripe-style signature authentication")
struct StripeSignatureAuthenticatorTests {
    typealias F = WebhookFixtures

    /// HMAC-SHA256 of `1700000000.{"id":"evt_1","amount":500000}` with `sk_test_0123456789abcdef`,
    /// computed independently (Python's hmac module).
    static let knownSignature = "90aa04dbfd3bc99d972aeee552d166b9b52286d7b1c38aaf3eb7935111a808b3"

    let authenticator: StripeSignatureAuthenticator

    init() throws {
        self.authenticator = try StripeSignatureAuthenticator(secrets: [F.stripeSecret])
    }

    private func request(_ header: String, body: Data = F.body, receivedAt: Date = F.signedAt) -> CredentialedRequest {
        CredentialedRequest(headers: ["Stripe-Signature": header], body: body, receivedAt: receivedAt)
    }

    @Test("An independently computed signature verifies; the message id is stripe:<t>:<hex>")
    func knownVector() throws {
        let authentication = try self.authenticator.authenticate(self.request("t=1700000000,v1=\(Self.knownSignature)"))
        #expect(authentication.messageID == "stripe:1700000000:\(Self.knownSignature)")
    }

    @Test("The signer produces the same header")
    func signerMatchesKnownVector() throws {
        let headers = try WebhookSigner(scheme: .stripe, secret: F.stripeSecret).headers(for: F.body, timestamp: F.signedAt)
        #expect(headers == ["stripe-signature": "t=1700000000,v1=\(Self.knownSignature)"])
    }

    @Test("Upper-case hex is accepted; the message id is written in lower case")
    func upperCaseHex() throws {
        let authentication = try self.authenticator.authenticate(self.request("t=1700000000,v1=\(Self.knownSignature.uppercased())"))
        #expect(authentication.messageID == "stripe:1700000000:\(Self.knownSignature)")
    }

    @Test(
        "With several v1 entries (and v0 entries, spaces), the valid one is found and names the delivery",
        arguments: [
            "t=1700000000,v1=\(String(repeating: "ab", count: 32)),v1=\(knownSignature)",
            "t=1700000000,v1=\(knownSignature),v1=\(String(repeating: "ab", count: 32))",
            "v1=\(knownSignature),t=1700000000",
            "t=1700000000, v0=\(String(repeating: "cd", count: 32)), v1=\(knownSignature)",
            "t=1700000000,v1=zz,v1=\(knownSignature)",
            "t=1700000000,garbage,v1=\(knownSignature)",
        ]
    )
    func severalSignatures(header: String) throws {
        let authentication = try self.authenticator.authenticate(self.request(header))
        #expect(authentication.messageID == "stripe:1700000000:\(Self.knownSignature)")
    }

    @Test("Several v1 entries, none valid, are a mismatch")
    func severalWrongSignatures() throws {
        let header = "t=1700000000,v1=\(String(repeating: "ab", count: 32)),v1=\(String(repeating: "00", count: 32))"
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(self.request(header)) }
    }

    @Test(
        "A header without a timestamp or a usable v1 signature is malformed",
        arguments: [
            "v1=\(knownSignature)",  // no t
            "t=1700000000",  // no v1
            "t=1700000000,v0=\(knownSignature)",  // only v0
            "t=1700000000,v1=\(String(knownSignature.dropLast()))",  // odd length
            "t=1700000000,v1=\(String(knownSignature.dropLast(2)))zz",  // not hex
            "t=1700000000,v1=",  // empty
            "t=abc,v1=\(knownSignature)",  // timestamp not a number
            "t=,v1=\(knownSignature)",
            "1700000000,\(knownSignature)",  // no keys
            "garbage",
        ]
    )
    func malformed(header: String) {
        #expect(throws: CredentialError(.malformedHeader("stripe-signature"))) {
            try self.authenticator.authenticate(self.request(header))
        }
    }

    @Test("Without the header, it is named as missing")
    func missingHeader() {
        let request = CredentialedRequest(headers: ["authorization": "Bearer x"], body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.missingHeader("stripe-signature"))) { try self.authenticator.authenticate(request) }
    }

    @Test(
        "Signatures outside the tolerance (300 s) either way are refused",
        arguments: [(-301.0, false), (-300.0, true), (0.0, true), (300.0, true), (301.0, false), (3_600.0, false)]
    )
    func tolerance(offset: TimeInterval, accepted: Bool) throws {
        let request = self.request("t=1700000000,v1=\(Self.knownSignature)", receivedAt: F.signedAt.addingTimeInterval(offset))
        if accepted {
            #expect(try self.authenticator.authenticate(request).messageID != nil)
        } else {
            #expect(throws: CredentialError(.timestampOutsideTolerance)) { try self.authenticator.authenticate(request) }
        }
    }

    @Test("The timestamp is signed: a replay with a fresh timestamp and the old signature is refused")
    func timestampIsSigned() {
        let later = F.signedAt.addingTimeInterval(3_600)
        let request = self.request("t=1700003600,v1=\(Self.knownSignature)", receivedAt: later)
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
    }

    @Test("A changed body is refused")
    func bodyMutation() {
        let request = self.request("t=1700000000,v1=\(Self.knownSignature)", body: F.body.flippingByte(at: 10))
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
    }

    @Test("A signature made with another secret is refused")
    func wrongSecret() throws {
        let headers = try WebhookSigner(scheme: .stripe, secret: F.otherStripeSecret).headers(for: F.body, timestamp: F.signedAt)
        let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)
        #expect(throws: CredentialError(.signatureMismatch)) { try self.authenticator.authenticate(request) }
    }

    @Test("While rotating, both secrets are accepted")
    func rotation() throws {
        let rotating = try StripeSignatureAuthenticator(secrets: [F.otherStripeSecret, F.stripeSecret])
        for secret in [F.stripeSecret, F.otherStripeSecret] {
            let headers = try WebhookSigner(scheme: .stripe, secret: secret).headers(for: F.body, timestamp: F.signedAt)
            #expect(try rotating.authenticate(CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt)).messageID?.hasPrefix("stripe:1700000000:") == true)
        }
    }

    @Test("Secrets shorter than 16 characters, or none, are refused when the authenticator is made")
    func shortSecret() throws {
        #expect(throws: SecretError.self) { try StripeSignatureAuthenticator(secrets: ["short"]) }
        #expect(throws: SecretError.self) { try StripeSignatureAuthenticator(secrets: [String(repeating: "x", count: 15)]) }
        #expect(throws: SecretError.self) { try StripeSignatureAuthenticator(secrets: [F.stripeSecret, "short"]) }
        #expect(throws: SecretError.self) { try StripeSignatureAuthenticator(secrets: []) }
        _ = try StripeSignatureAuthenticator(secrets: [String(repeating: "x", count: 16)])
    }

    @Test(
        "Hex decoding",
        arguments: [("", [UInt8]()), ("00ff", [0x00, 0xFF]), ("0aFb", [0x0A, 0xFB]), ("deadBEEF", [0xDE, 0xAD, 0xBE, 0xEF])]
    )
    func hexDecoding(text: String, bytes: [UInt8]) {
        #expect(Data(hex: text) == Data(bytes))
        #expect(Data(bytes).hexString == text.lowercased())
    }

    @Test("Text that is not an even number of hex digits does not decode", arguments: ["0", "abc", "0g", "  ", "0x00", "ab cd"])
    func hexRejects(text: String) {
        #expect(Data(hex: text) == nil)
    }
}
