import Crypto
import Foundation

/// Who may use the operator dashboard: whoever knows the admin token (`ADMIN_TOKEN`, else
/// `MERCHANT_API_KEY`). Logging in trades the token for a session: a signed, expiring value the
/// browser keeps in an HttpOnly cookie, so the token itself is sent once and never stored.
///
/// The signing key is derived from the token (HKDF-SHA256), so every node of a cluster that has
/// the same token accepts the same sessions, and changing the token ends every session.
struct AdminAccess: Sendable {
    /// How long a session lasts before the operator logs in again.
    let sessionLifetime: Duration
    private let key: SymmetricKey
    /// The token's own MAC: a presented token is checked by comparing MACs in constant time.
    private let tokenMAC: HashedAuthenticationCode<SHA256>

    init(token: String, sessionLifetime: Duration = .seconds(12 * 3600)) {
        self.sessionLifetime = sessionLifetime
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(token.utf8)),
            info: Data("paynotify admin session v1".utf8),
            outputByteCount: 32
        )
        self.tokenMAC = HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: self.key)
    }

    /// Whether `presented` is the admin token; its time does not depend on where they differ.
    func accepts(token presented: String) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(self.tokenMAC, authenticating: Data(presented.utf8), using: self.key)
    }

    /// A new session value and its expiry, `now + sessionLifetime` (whole seconds):
    /// `v1.<expiry, Unix seconds>.<nonce>.<HMAC of what precedes it>`, base64url without padding.
    func issueSession(now: Date = Date()) -> (value: String, expiresAt: Date) {
        let expiry = Int64((now.timeIntervalSince1970 + self.sessionLifetime / .seconds(1)).rounded(.down))
        let nonce = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let signed = "v1.\(expiry).\(Self.base64URL(nonce))"
        let value = signed + "." + Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(signed.utf8), using: self.key)))
        return (value, Date(timeIntervalSince1970: TimeInterval(expiry)))
    }

    /// The session's expiry, if `value` is a session this token signed and it has not expired.
    func verifySession(_ value: String, now: Date = Date()) throws(AdminSessionError) -> Date {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let expiry = Int64(parts[1]), let mac = Self.data(base64URL: parts[3]) else {
            throw .malformed
        }
        let signed = parts[0...2].joined(separator: ".")
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(signed.utf8), using: self.key) else {
            throw .badSignature
        }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard expiresAt > now else { throw .expired(at: expiresAt) }
        return expiresAt
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
