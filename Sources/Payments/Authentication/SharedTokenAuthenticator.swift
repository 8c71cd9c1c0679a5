import Foundation

/// A static shared token in the `Authorization` header: `Bearer <token>` (what pay2s sends, and
/// what the merchant API and `/metrics` take) or `Apikey <key>` (what SePay sends). There is
/// nothing to sign, so nothing identifies a delivery: webhook replays are only caught by the
/// ledger's idempotency on the transaction id.
public struct SharedTokenAuthenticator: RequestAuthenticator {
    /// The word before the token in the `Authorization` header.
    public enum Scheme: String, Sendable {
        case bearer = "Bearer"
        case apiKey = "Apikey"
    }

    private let scheme: Scheme
    private let tokens: [[UInt8]]

    public init(scheme: Scheme, tokens: [String]) throws(SecretError) {
        guard !tokens.isEmpty, tokens.allSatisfy({ $0.utf8.count >= 16 }) else {
            throw SecretError("a shared token must be at least 16 characters")
        }
        self.scheme = scheme
        self.tokens = tokens.map { Array($0.utf8) }
    }

    public func authenticate(_ request: CredentialedRequest) throws(CredentialError) -> AcceptedCredentials {
        let header = try request.header("authorization")
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == self.scheme.rawValue.lowercased() else {
            throw CredentialError(.malformedHeader("authorization"))
        }
        let presented = Array(parts[1].trimmingCharacters(in: .whitespaces).utf8)
        // Every token is compared, so the time taken does not tell which one (if any) matched.
        var matched = false
        for token in self.tokens where ConstantTime.equals(presented, token) { matched = true }
        guard matched else { throw CredentialError(.wrongCredentials) }
        return AcceptedCredentials(messageID: nil)
    }
}
