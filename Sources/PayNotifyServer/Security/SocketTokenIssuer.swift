import Foundation
import JWTKit

/// Mints HS256 socket tokens with `JWT_SECRET`, for development (`paynotify token`) and for a
/// merchant backend written in Swift.
public struct SocketTokenIssuer: Sendable {
    private let secret: String
    private let issuer: String?
    private let audience: String?

    public init(secret: String, issuer: String? = nil, audience: String? = nil) {
        self.secret = secret
        self.issuer = issuer
        self.audience = audience
    }

    /// A connection token granting `bookings`.
    public func connectionToken(subject: String?, bookings: [String], lifetime: Duration) async throws -> String {
        try await self.sign(SocketTokenClaims(bookings: bookings), subject: subject, lifetime: lifetime)
    }

    /// A subscription token granting one booking, sent with `subscribe_booking`.
    public func subscriptionToken(subject: String?, booking: String, lifetime: Duration) async throws -> String {
        try await self.sign(SocketTokenClaims(booking: booking), subject: subject, lifetime: lifetime)
    }

    private func sign(_ claims: SocketTokenClaims, subject: String?, lifetime: Duration) async throws -> String {
        var claims = claims
        claims.sub = subject.map { SubjectClaim(value: $0) }
        claims.exp = ExpirationClaim(value: Date().addingTimeInterval(lifetime / .seconds(1)))
        claims.iss = self.issuer.map { IssuerClaim(value: $0) }
        claims.aud = self.audience.map { AudienceClaim(value: [$0]) }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: self.secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }
}
