import Foundation
import JWTKit

/// The claims PayNotify reads from a socket or subscription token.
struct SocketTokenClaims: JWTPayload, Equatable {
    var sub: SubjectClaim?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    /// Connection token: the bookings its holder may watch.
    var bookings: [String]?
    /// Subscription token: the one booking it grants.
    var booking: String?
    /// Subscription token: the transfer memo the booking's payment carries, when it is not the id.
    var memo: String?

    init(bookings: [String]? = nil, booking: String? = nil) {
        self.bookings = bookings
        self.booking = booking
    }

    /// Claims are checked by `SocketTokenVerifier`, which tells an expired token from a forged one.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    var subject: String { self.sub?.value ?? "unknown" }
}

/// Why a token was refused. `clientMessage` is what the client is told, nothing more.
enum SocketTokenError: Error, Hashable {
    case missing
    case invalid(String)
    case expired

    var clientMessage: String {
        self == .expired ? "token expired" : "unauthorized"
    }
}

/// Verifies socket tokens: the signature (HS256 with `JWT_SECRET`, or RS256/ES256 with
/// `JWT_PUBLIC_KEY`), a required `exp`, and `nbf`, `iss`, `aud` when configured.
struct SocketTokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let issuer: String?
    private let audience: String?

    init(keys: JWTKeyCollection, issuer: String?, audience: String?) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
    }

    /// The verifier the configuration asks for; nil when sockets are open (no key configured).
    static func make(from security: SecurityConfiguration) async throws(ConfigurationError) -> SocketTokenVerifier? {
        let keys = JWTKeyCollection()
        if let secret = security.jwtSecret {
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        } else if let pem = security.jwtPublicKeyPEM {
            if let rsa = try? Insecure.RSA.PublicKey(pem: pem) {
                await keys.add(rsa: rsa, digestAlgorithm: .sha256)
            } else if let ecdsa = try? ES256PublicKey(pem: pem) {
                await keys.add(ecdsa: ecdsa)
            } else {
                throw ConfigurationError(variable: "JWT_PUBLIC_KEY", "is not an RSA or P-256 public key in PEM form")
            }
        } else {
            return nil
        }
        return SocketTokenVerifier(keys: keys, issuer: security.jwtIssuer, audience: security.jwtAudience)
    }

    func verify(_ token: String, now: Date = Date()) async throws(SocketTokenError) -> SocketTokenClaims {
        let claims: SocketTokenClaims
        do {
            claims = try await self.keys.verify(token, as: SocketTokenClaims.self)
        } catch {
            throw .invalid("\(error)")
        }
        guard let expiration = claims.exp else { throw .invalid("no exp claim") }
        guard expiration.value > now else { throw .expired }
        if let notBefore = claims.nbf, notBefore.value > now { throw .invalid("not valid before \(notBefore.value)") }
        if let issuer = self.issuer, claims.iss?.value != issuer { throw .invalid("wrong issuer") }
        if let audience = self.audience, !(claims.aud?.value.contains(audience) ?? false) { throw .invalid("wrong audience") }
        return claims
    }
}
