import Foundation
import Payments
import Testing

@Suite("Webhook signer round trips")
struct WebhookSignerTests {
    typealias F = WebhookFixtures

    /// A signer and the authenticator that checks what it signs, for each scheme.
    struct Pairing: Sendable, CustomTestStringConvertible {
        let scheme: WebhookSigner.Scheme
        let secret: String
        let authenticator: @Sendable () throws -> any RequestAuthenticator

        var testDescription: String { "\(self.scheme)" }
    }

    static let pairings: [Pairing] = [
        Pairing(scheme: .standard, secret: F.standardSecret) { try StandardWebhooksAuthenticator(secrets: [F.standardSecret]) },
        Pairing(scheme: .stripe, secret: F.stripeSecret) { try StripeSignatureAuthenticator(secrets: [F.stripeSecret]) },
        Pairing(scheme: .bearer, secret: F.token) { try SharedTokenAuthenticator(scheme: .bearer, tokens: [F.token]) },
        Pairing(scheme: .apiKey, secret: F.token) { try SharedTokenAuthenticator(scheme: .apiKey, tokens: [F.token]) },
        Pairing(scheme: .casso, secret: F.token) { try CassoSignatureAuthenticator(secrets: [F.token]) },
    ]

    @Test("What the signer sends, the matching authenticator accepts", arguments: pairings)
    func roundTrip(pairing: Pairing) throws {
        let signer = WebhookSigner(scheme: pairing.scheme, secret: pairing.secret)
        let headers = try signer.headers(for: F.body, id: "msg_round_trip", timestamp: F.signedAt)
        let request = CredentialedRequest(headers: headers, body: F.body, receivedAt: F.signedAt.addingTimeInterval(5))
        let authentication = try pairing.authenticator().authenticate(request)
        switch pairing.scheme {
        case .standard:
            #expect(authentication.messageID == "msg_round_trip")
        case .stripe:
            let messageID = try #require(authentication.messageID)
            let parts = messageID.split(separator: ":")
            #expect(parts.count == 3)
            #expect(parts.first == "stripe")
            #expect(parts.dropFirst().first == "1700000000")
            #expect(parts.last?.count == 64)
            #expect(parts.last?.allSatisfy { "0123456789abcdef".contains($0) } == true)
            #expect(headers["stripe-signature"] == "t=1700000000,v1=\(parts[2])")
        case .bearer, .apiKey, .casso:
            #expect(authentication.messageID == nil)
        }
    }

    @Test("Signing now with the defaults is accepted now", arguments: pairings)
    func defaultsRoundTrip(pairing: Pairing) throws {
        let headers = try WebhookSigner(scheme: pairing.scheme, secret: pairing.secret).headers(for: F.body)
        let authentication = try pairing.authenticator().authenticate(CredentialedRequest(headers: headers, body: F.body))
        let namesDeliveries = pairing.scheme == .standard || pairing.scheme == .stripe
        #expect((authentication.messageID != nil) == namesDeliveries)
    }

    @Test("Each scheme sends exactly its own headers")
    func headerNames() throws {
        let standard = try WebhookSigner(scheme: .standard, secret: F.standardSecret).headers(for: F.body, id: "msg_1", timestamp: F.signedAt)
        #expect(Set(standard.keys) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(standard["webhook-id"] == "msg_1")
        #expect(standard["webhook-timestamp"] == "1700000000")
        #expect(standard["webhook-signature"]?.hasPrefix("v1,") == true)

        let stripe = try WebhookSigner(scheme: .stripe, secret: F.stripeSecret).headers(for: F.body, timestamp: F.signedAt)
        #expect(Array(stripe.keys) == ["stripe-signature"])

        #expect(try WebhookSigner(scheme: .bearer, secret: F.token).headers(for: F.body) == ["authorization": "Bearer \(F.token)"])
        #expect(try WebhookSigner(scheme: .apiKey, secret: F.token).headers(for: F.body) == ["authorization": "Apikey \(F.token)"])
    }

    @Test("Fractions of a second are dropped from the signed timestamp, and the signature still verifies")
    func fractionalTimestamp() throws {
        let signedAt = F.signedAt.addingTimeInterval(0.75)
        let headers = try WebhookSigner(scheme: .standard, secret: F.standardSecret).headers(for: F.body, id: "msg_1", timestamp: signedAt)
        #expect(headers["webhook-timestamp"] == "1700000000")
        let authenticator = try StandardWebhooksAuthenticator(secrets: [F.standardSecret])
        #expect(try authenticator.authenticate(CredentialedRequest(headers: headers, body: F.body, receivedAt: signedAt)).messageID == "msg_1")
    }

    @Test("Different ids give different standard signatures; the default id is fresh each time")
    func distinctIDs() throws {
        let signer = WebhookSigner(scheme: .standard, secret: F.standardSecret)
        let first = try signer.headers(for: F.body, id: "msg_1", timestamp: F.signedAt)
        let second = try signer.headers(for: F.body, id: "msg_2", timestamp: F.signedAt)
        #expect(first["webhook-signature"] != second["webhook-signature"])
        let defaultFirst = try signer.headers(for: F.body, timestamp: F.signedAt)
        let defaultSecond = try signer.headers(for: F.body, timestamp: F.signedAt)
        #expect(defaultFirst["webhook-id"] != defaultSecond["webhook-id"])
    }

    @Test("A signer with an unusable standard secret fails instead of signing")
    func unusableStandardSecret() {
        #expect(throws: SecretError.self) {
            try WebhookSigner(scheme: .standard, secret: "not-a-whsec-secret").headers(for: F.body)
        }
    }
}
