import Crypto
import Foundation

/// Produces the headers a sender of each scheme attaches, so `paynotify webhook` (and tests)
/// can send what a real provider would.
public struct WebhookSigner: Sendable {
    public enum Scheme: Sendable {
        case standard
        case stripe
        case bearer
        case apiKey
        /// Casso webhook v2: `X-Casso-Signature`, over the body's sorted-key JSON.
        case casso
    }

    public let scheme: Scheme
    public let secret: String

    public init(scheme: Scheme, secret: String) {
        self.scheme = scheme
        self.secret = secret
    }

    /// The headers for `body`, signed at `timestamp` with message id `id` where the scheme has them.
    public func headers(for body: Data, id: String = UUID().uuidString, timestamp: Date = Date()) throws(SecretError) -> [String: String] {
        let seconds = String(Int(timestamp.timeIntervalSince1970))
        switch self.scheme {
        case .standard:
            return try StandardWebhooksSigner(secrets: [self.secret]).headers(for: body, id: id, timestamp: timestamp)
        case .stripe:
            var signed = Data("\(seconds).".utf8)
            signed.append(body)
            let signature = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(self.secret.utf8))))
            return ["stripe-signature": "t=\(seconds),v1=\(signature.hexString)"]
        case .bearer:
            return ["authorization": "Bearer \(self.secret)"]
        case .apiKey:
            return ["authorization": "Apikey \(self.secret)"]
        case .casso:
            let milliseconds = String(Int(timestamp.timeIntervalSince1970 * 1000))
            let sorted = (try? JSONField.value(from: body))?.sortedKeysJSON ?? ""
            let signature = HMAC<SHA512>.authenticationCode(for: Data("\(milliseconds).\(sorted)".utf8), using: SymmetricKey(data: Data(self.secret.utf8)))
            return ["x-casso-signature": "t=\(milliseconds),v1=\(Data(signature).hexString)"]
        }
    }
}
