import Crypto
import Foundation

/// Signs outgoing webhooks the Standard Webhooks way (the scheme `StandardWebhooksAuthenticator`
/// verifies): `webhook-id`, `webhook-timestamp`, and `webhook-signature` with one `v1,<base64>`
/// per secret, space-separated, so a receiver rotating secrets accepts either.
public struct StandardWebhooksSigner: Sendable {
    private let keys: [SymmetricKey]

    /// - Parameter secrets: `whsec_<base64>` each; the current one and, while rotating, the others.
    public init(secrets: [String]) throws(SecretError) {
        guard !secrets.isEmpty else { throw SecretError("no secret given") }
        self.keys = try secrets.map { secret throws(SecretError) in try StandardWebhooksAuthenticator.key(from: secret) }
    }

    /// The headers for `body` sent as message `id` at `timestamp` (whole Unix seconds).
    public func headers(for body: Data, id: String, timestamp: Date) -> [String: String] {
        let seconds = String(Int(timestamp.timeIntervalSince1970))
        let signatures = self.keys.map { key in
            "v1," + StandardWebhooksAuthenticator.signature(of: body, id: id, timestamp: seconds, key: key).base64EncodedString()
        }
        return ["webhook-id": id, "webhook-timestamp": seconds, "webhook-signature": signatures.joined(separator: " ")]
    }
}
