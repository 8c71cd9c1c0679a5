import Foundation
import Payments

/// Fixed material for the webhook authentication tests: secrets of each kind and a fixed clock.
enum WebhookFixtures {
    /// The secret of the Standard Webhooks specification's examples (24 bytes after `whsec_`).
    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    /// Another valid Standard Webhooks secret: base64 of the 16 bytes 0x00…0x0f.
    static let otherStandardSecret = "whsec_AAECAwQFBgcICQoLDA0ODw=="
    static let stripeSecret = "sk_test_0123456789abcdef"
    static let otherStripeSecret = "sk_test_fedcba9876543210"
    static let token = "pay2s-token-0123456789"
    static let otherToken = "pay2s-token-9876543210"

    static let body = Data(#"{"id":"evt_1","amount":500000}"#.utf8)
    /// 2023-11-14T22:13:20Z, a whole number of seconds.
    static let signedAt = Date(timeIntervalSince1970: 1_700_000_000)
}

extension Data {
    /// A copy with one byte flipped, for tampering with bodies and signatures.
    func flippingByte(at index: Int) -> Data {
        var copy = self
        copy[copy.startIndex + index] ^= 0x01
        return copy
    }
}
