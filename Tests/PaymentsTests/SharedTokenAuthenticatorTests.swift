import Foundation
import Payments
import Testing

@Suite("Shared token authentication")
struct SharedTokenAuthenticatorTests {
    typealias F = WebhookFixtures

    private func request(authorization: String?) -> CredentialedRequest {
        var headers = ["content-type": "application/json"]
        headers["Authorization"] = authorization
        return CredentialedRequest(headers: headers, body: F.body)
    }

    @Test(
        "The scheme word is matched whatever its case; a shared token names no delivery",
        arguments: [
            (SharedTokenAuthenticator.Scheme.bearer, "Bearer"), (.bearer, "bearer"), (.bearer, "BEARER"), (.bearer, "bEaReR"),
            (.apiKey, "Apikey"), (.apiKey, "apikey"), (.apiKey, "APIKEY"), (.apiKey, "ApiKey"),
        ]
    )
    func schemeWordCase(scheme: SharedTokenAuthenticator.Scheme, word: String) throws {
        let authenticator = try SharedTokenAuthenticator(scheme: scheme, tokens: [F.token])
        let authentication = try authenticator.authenticate(self.request(authorization: "\(word) \(F.token)"))
        #expect(authentication == AcceptedCredentials(messageID: nil))
    }

    @Test("Spaces around the token are ignored")
    func surroundingSpaces() throws {
        let authenticator = try SharedTokenAuthenticator(scheme: .bearer, tokens: [F.token])
        #expect(try authenticator.authenticate(self.request(authorization: "Bearer   \(F.token)  ")).messageID == nil)
    }

    @Test(
        "Another scheme word, or none, is a malformed header",
        arguments: [
            (SharedTokenAuthenticator.Scheme.bearer, "Apikey \(WebhookFixtures.token)"),
            (.bearer, "Basic \(WebhookFixtures.token)"),
            (.bearer, "Bearer\(WebhookFixtures.token)"),
            (.bearer, WebhookFixtures.token),
            (.bearer, "Bearer"),
            (.apiKey, "Bearer \(WebhookFixtures.token)"),
            (.apiKey, "Api-Key \(WebhookFixtures.token)"),
            (.apiKey, "\(WebhookFixtures.token) Apikey"),
        ]
    )
    func wrongSchemeWord(scheme: SharedTokenAuthenticator.Scheme, header: String) throws {
        let authenticator = try SharedTokenAuthenticator(scheme: scheme, tokens: [F.token])
        #expect(throws: CredentialError(.malformedHeader("authorization"))) {
            try authenticator.authenticate(self.request(authorization: header))
        }
    }

    @Test(
        "A wrong token is refused as wrong credentials",
        arguments: [
            WebhookFixtures.otherToken,
            String(WebhookFixtures.token.dropLast()),  // a prefix
            WebhookFixtures.token + "0",  // an extension
            WebhookFixtures.token.uppercased(),  // tokens are case-sensitive
            "\(WebhookFixtures.token) \(WebhookFixtures.token)",
        ]
    )
    func wrongToken(token: String) throws {
        let authenticator = try SharedTokenAuthenticator(scheme: .bearer, tokens: [F.token])
        #expect(throws: CredentialError(.wrongCredentials)) {
            try authenticator.authenticate(self.request(authorization: "Bearer \(token)"))
        }
    }

    @Test("A missing or empty Authorization header is named")
    func missingHeader() throws {
        let authenticator = try SharedTokenAuthenticator(scheme: .apiKey, tokens: [F.token])
        for header in [nil, ""] as [String?] {
            #expect(throws: CredentialError(.missingHeader("authorization"))) {
                try authenticator.authenticate(self.request(authorization: header))
            }
        }
    }

    @Test("While rotating, either token is accepted, and only those")
    func rotation() throws {
        let authenticator = try SharedTokenAuthenticator(scheme: .bearer, tokens: [F.otherToken, F.token])
        for token in [F.token, F.otherToken] {
            #expect(try authenticator.authenticate(self.request(authorization: "Bearer \(token)")).messageID == nil)
        }
        #expect(throws: CredentialError(.wrongCredentials)) {
            try authenticator.authenticate(self.request(authorization: "Bearer a-third-token-0123456789"))
        }
    }

    @Test("Tokens shorter than 16 characters, or none, are refused when the authenticator is made")
    func shortToken() throws {
        for scheme in [SharedTokenAuthenticator.Scheme.bearer, .apiKey] {
            #expect(throws: SecretError.self) { try SharedTokenAuthenticator(scheme: scheme, tokens: ["short"]) }
            #expect(throws: SecretError.self) { try SharedTokenAuthenticator(scheme: scheme, tokens: [String(repeating: "t", count: 15)]) }
            #expect(throws: SecretError.self) { try SharedTokenAuthenticator(scheme: scheme, tokens: [F.token, ""]) }
            #expect(throws: SecretError.self) { try SharedTokenAuthenticator(scheme: scheme, tokens: []) }
            _ = try SharedTokenAuthenticator(scheme: scheme, tokens: [String(repeating: "t", count: 16)])
        }
    }
}
