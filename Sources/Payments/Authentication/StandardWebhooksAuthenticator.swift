import Crypto
import Foundation

/// The Standard Webhooks scheme (standardwebhooks.com): `webhook-id`, `webhook-timestamp`
/// (Unix seconds) and `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256>` of
/// `{id}.{timestamp}.{raw body}`), with secrets written `whsec_<base64 key>`.
public struct StandardWebhooksAuthenticator: RequestAuthenticator {
    private let keys: [SymmetricKey]
    private let tolerance: TimeInterval

    /// - Parameter secrets: the current secret and, while rotating, the previous one.
    public init(secrets: [String], tolerance: TimeInterval = 300) throws(SecretError) {
        guard !secrets.isEmpty else { throw SecretError("no secret given") }
        self.keys = try secrets.map { secret throws(SecretError) in try Self.key(from: secret) }
        self.tolerance = tolerance
    }

    static func key(from secret: String) throws(SecretError) -> SymmetricKey {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), bytes.count >= 16 else {
            throw SecretError("a Standard Webhooks secret is whsec_ followed by the base64 of at least 16 bytes")
        }
        return SymmetricKey(data: bytes)
    }

    /// HMAC-SHA256 of `{id}.{timestamp}.{body}`: what a `v1` signature carries, base64-encoded.
    static func signature(of body: Data, id: String, timestamp: String, key: SymmetricKey) -> Data {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        return Data(HMAC<SHA256>.authenticationCode(for: signed, using: key))
    }

    public func authenticate(_ request: CredentialedRequest) throws(CredentialError) -> AcceptedCredentials {
        let id = try request.header("webhook-id")
        let timestampText = try request.header("webhook-timestamp")
        let signatures = try request.header("webhook-signature")
        guard let timestamp = TimeInterval(timestampText), timestamp.isFinite else {
            throw CredentialError(.malformedHeader("webhook-timestamp"))
        }
        guard abs(request.receivedAt.timeIntervalSince1970 - timestamp) <= self.tolerance else {
            throw CredentialError(.timestampOutsideTolerance)
        }
        let candidates = signatures.split(separator: " ").compactMap { entry -> Data? in
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { return nil }
            return Data(base64Encoded: String(parts[1]))
        }
        guard !candidates.isEmpty else { throw CredentialError(.malformedHeader("webhook-signature")) }
        for key in self.keys {
            let expected = Self.signature(of: request.body, id: id, timestamp: timestampText, key: key)
            if candidates.contains(where: { ConstantTime.equals($0, expected) }) {
                return AcceptedCredentials(messageID: id)
            }
        }
        throw CredentialError(.signatureMismatch)
    }
}
