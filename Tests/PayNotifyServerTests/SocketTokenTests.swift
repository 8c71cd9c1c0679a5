import Foundation
import JWTKit
import Testing

@testable import PayNotifyServer

@Suite("Socket tokens: issuing and verifying")
struct SocketTokenTests {
    static let secret = "an-hs256-secret-of-at-least-32-bytes!"
    static let otherSecret = "another-hs256-secret-of-32-bytes-or-more"

    private func verifier(secret: String = secret, issuer: String? = nil, audience: String? = nil) async throws -> SocketTokenVerifier {
        var security = SecurityConfiguration()
        security.jwtSecret = secret
        security.jwtIssuer = issuer
        security.jwtAudience = audience
        return try #require(try await SocketTokenVerifier.make(from: security))
    }

    /// The error `token` is refused with, or nil (and an issue) when it verifies.
    private func refusal(_ verifier: SocketTokenVerifier, _ token: String, now: Date = Date(), sourceLocation: SourceLocation = #_sourceLocation) async -> SocketTokenError? {
        do {
            let claims = try await verifier.verify(token, now: now)
            Issue.record("verified: \(claims)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    private func isInvalid(_ error: SocketTokenError?) -> Bool {
        if case .invalid = error { return true }
        return false
    }

    private static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test("A connection token verifies with its bookings and subject")
    func connectionToken() async throws {
        let token = try await SocketTokenIssuer(secret: Self.secret).connectionToken(subject: "user-42", bookings: ["b1", "b2"], lifetime: .seconds(60))
        #expect(token.split(separator: ".").count == 3)
        let claims = try await self.verifier().verify(token)
        #expect(claims.bookings == ["b1", "b2"])
        #expect(claims.booking == nil)
        #expect(claims.sub?.value == "user-42")
        #expect(claims.subject == "user-42")
        #expect(claims.iss == nil)
        #expect(claims.aud == nil)
        let expiration = try #require(claims.exp?.value)
        #expect(expiration > Date())
        #expect(expiration <= Date().addingTimeInterval(61))
    }

    @Test("A token without a subject reads as subject \"unknown\"; no bookings is an empty grant")
    func noSubject() async throws {
        let token = try await SocketTokenIssuer(secret: Self.secret).connectionToken(subject: nil, bookings: [], lifetime: .seconds(60))
        let claims = try await self.verifier().verify(token)
        #expect(claims.sub == nil)
        #expect(claims.subject == "unknown")
        #expect(claims.bookings == [])
    }

    @Test("A subscription token grants its one booking")
    func subscriptionToken() async throws {
        let token = try await SocketTokenIssuer(secret: Self.secret).subscriptionToken(subject: "user-42", booking: "b7", lifetime: .seconds(60))
        let claims = try await self.verifier().verify(token)
        #expect(claims.booking == "b7")
        #expect(claims.bookings == nil)
        #expect(claims.subject == "user-42")
    }

    @Test("Once its lifetime has passed, a token is expired, not invalid")
    func expired() async throws {
        let issuer = SocketTokenIssuer(secret: Self.secret)
        let verifier = try await self.verifier()
        for token in [
            try await issuer.connectionToken(subject: "user-42", bookings: ["b1"], lifetime: .seconds(1)),
            try await issuer.subscriptionToken(subject: "user-42", booking: "b1", lifetime: .seconds(1)),
        ] {
            #expect(await self.refusal(verifier, token, now: Date().addingTimeInterval(10)) == .expired)
            // Still valid now.
            #expect(try await verifier.verify(token).exp != nil)
        }
    }

    @Test("A token signed with another secret is invalid")
    func otherSecret() async throws {
        let token = try await SocketTokenIssuer(secret: Self.otherSecret).connectionToken(subject: "user-42", bookings: ["b1"], lifetime: .seconds(60))
        #expect(self.isInvalid(await self.refusal(try await self.verifier(), token)))
    }

    @Test("An expired token signed with another secret is invalid, not expired: forgeries learn nothing")
    func expiredForgery() async throws {
        let token = try await SocketTokenIssuer(secret: Self.otherSecret).connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(1))
        #expect(self.isInvalid(await self.refusal(try await self.verifier(), token, now: Date().addingTimeInterval(10))))
    }

    @Test("Changing the claims of a signed token invalidates it")
    func tamperedClaims() async throws {
        let token = try await SocketTokenIssuer(secret: Self.secret).connectionToken(subject: "user-42", bookings: ["b1"], lifetime: .seconds(60))
        let parts = token.split(separator: ".").map(String.init)
        let forgedPayload = Self.base64URL(#"{"sub":"user-42","exp":\#(Int(Date().timeIntervalSince1970) + 60),"bookings":["b1","b2"]}"#)
        let forged = [parts[0], forgedPayload, parts[2]].joined(separator: ".")
        #expect(self.isInvalid(await self.refusal(try await self.verifier(), forged)))
    }

    @Test("An unsigned (alg none) token is invalid")
    func unsigned() async throws {
        let header = Self.base64URL(#"{"alg":"none","typ":"JWT"}"#)
        let payload = Self.base64URL(#"{"sub":"user-42","exp":\#(Int(Date().timeIntervalSince1970) + 60),"bookings":["b1"]}"#)
        let verifier = try await self.verifier()
        #expect(self.isInvalid(await self.refusal(verifier, "\(header).\(payload).")))
        #expect(self.isInvalid(await self.refusal(verifier, "\(header).\(payload)")))
    }

    @Test("Text that is not a JWT is invalid", arguments: ["", "abc", "a.b.c", "...", "eyJhbGciOiJIUzI1NiJ9..sig"])
    func garbage(token: String) async throws {
        #expect(self.isInvalid(await self.refusal(try await self.verifier(), token)))
    }

    @Test("A token without exp is invalid")
    func noExpiration() async throws {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256)
        var claims = SocketTokenClaims(bookings: ["b1"])
        claims.sub = SubjectClaim(value: "user-42")
        let token = try await keys.sign(claims)
        #expect(await self.refusal(try await self.verifier(), token) == .invalid("no exp claim"))
    }

    @Test("A token not valid yet (nbf in the future) is invalid")
    func notBefore() async throws {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256)
        var claims = SocketTokenClaims(bookings: ["b1"])
        claims.exp = ExpirationClaim(value: Date().addingTimeInterval(3_600))
        claims.nbf = NotBeforeClaim(value: Date().addingTimeInterval(600))
        let token = try await keys.sign(claims)
        let verifier = try await self.verifier()
        #expect(self.isInvalid(await self.refusal(verifier, token)))
        // Once the time has come, it verifies.
        #expect(try await verifier.verify(token, now: Date().addingTimeInterval(1_200)).bookings == ["b1"])
    }

    @Test("With an issuer required, only tokens from that issuer verify")
    func issuer() async throws {
        let verifier = try await self.verifier(issuer: "https://auth.shop.example")
        let good = try await SocketTokenIssuer(secret: Self.secret, issuer: "https://auth.shop.example").connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(try await verifier.verify(good).iss?.value == "https://auth.shop.example")

        let wrong = try await SocketTokenIssuer(secret: Self.secret, issuer: "https://evil.example").connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(await self.refusal(verifier, wrong) == .invalid("wrong issuer"))
        let none = try await SocketTokenIssuer(secret: Self.secret).connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(await self.refusal(verifier, none) == .invalid("wrong issuer"))
    }

    @Test("With an audience required, only tokens for that audience verify")
    func audience() async throws {
        let verifier = try await self.verifier(audience: "paynotify")
        let good = try await SocketTokenIssuer(secret: Self.secret, audience: "paynotify").connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(try await verifier.verify(good).aud?.value == ["paynotify"])

        let wrong = try await SocketTokenIssuer(secret: Self.secret, audience: "billing").connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(await self.refusal(verifier, wrong) == .invalid("wrong audience"))
        let none = try await SocketTokenIssuer(secret: Self.secret).connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(await self.refusal(verifier, none) == .invalid("wrong audience"))
    }

    @Test("Without issuer and audience configured, tokens carrying them still verify")
    func issuerAndAudienceOptional() async throws {
        let token = try await SocketTokenIssuer(secret: Self.secret, issuer: "anyone", audience: "anything")
            .connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        let claims = try await self.verifier().verify(token)
        #expect(claims.iss?.value == "anyone")
        #expect(claims.aud?.value == ["anything"])
    }

    @Test("Issuer and audience both required and both right")
    func issuerAndAudience() async throws {
        let verifier = try await self.verifier(issuer: "shop", audience: "paynotify")
        let token = try await SocketTokenIssuer(secret: Self.secret, issuer: "shop", audience: "paynotify").subscriptionToken(subject: "u", booking: "b1", lifetime: .seconds(60))
        #expect(try await verifier.verify(token).booking == "b1")
        let swapped = try await SocketTokenIssuer(secret: Self.secret, issuer: "paynotify", audience: "shop").subscriptionToken(subject: "u", booking: "b1", lifetime: .seconds(60))
        #expect(self.isInvalid(await self.refusal(verifier, swapped)))
    }

    @Test("Clients are told only \"token expired\" or \"unauthorized\"")
    func clientMessages() {
        #expect(SocketTokenError.expired.clientMessage == "token expired")
        #expect(SocketTokenError.missing.clientMessage == "unauthorized")
        #expect(SocketTokenError.invalid("wrong issuer").clientMessage == "unauthorized")
        #expect(SocketTokenError.invalid("signature verification failed").clientMessage == "unauthorized")
    }

    // MARK: Public keys

    @Test("No key configured: sockets are open, there is no verifier")
    func noKey() async throws {
        #expect(try await SocketTokenVerifier.make(from: SecurityConfiguration()) == nil)
    }

    @Test("An ES256 public key verifies tokens signed by its private key, and only those")
    func es256() async throws {
        let privateKey = ES256PrivateKey()
        var security = SecurityConfiguration()
        security.jwtPublicKeyPEM = privateKey.publicKey.pemRepresentation
        let verifier = try #require(try await SocketTokenVerifier.make(from: security))

        var claims = SocketTokenClaims(bookings: ["b1"])
        claims.exp = ExpirationClaim(value: Date().addingTimeInterval(60))
        let signing = JWTKeyCollection()
        await signing.add(ecdsa: privateKey)
        #expect(try await verifier.verify(try await signing.sign(claims)).bookings == ["b1"])

        let otherSigning = JWTKeyCollection()
        await otherSigning.add(ecdsa: ES256PrivateKey())
        #expect(self.isInvalid(await self.refusal(verifier, try await otherSigning.sign(claims))))

        // Algorithm confusion: an HS256 token keyed with the public key's PEM text.
        let confused = try await SocketTokenIssuer(secret: privateKey.publicKey.pemRepresentation).connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(self.isInvalid(await self.refusal(verifier, confused)))

        // An HS256 token from a JWT_SECRET-style issuer is not accepted either.
        let hs256 = try await SocketTokenIssuer(secret: Self.secret).connectionToken(subject: nil, bookings: ["b1"], lifetime: .seconds(60))
        #expect(self.isInvalid(await self.refusal(verifier, hs256)))
    }

    @Test("A PEM that is neither an RSA nor a P-256 public key is refused, naming JWT_PUBLIC_KEY")
    func badPEM() async throws {
        var security = SecurityConfiguration()
        security.jwtPublicKeyPEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
        await #expect(throws: ConfigurationError.self) {
            _ = try await SocketTokenVerifier.make(from: security)
        }
        do {
            _ = try await SocketTokenVerifier.make(from: security)
        } catch {
            #expect(error.variable == "JWT_PUBLIC_KEY")
        }
    }
}
