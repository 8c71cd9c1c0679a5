/// A configured secret or token that cannot be used (too short, badly encoded): a webhook
/// secret, `MERCHANT_API_KEY`, `METRICS_TOKEN`, a callback signing secret.
public struct SecretError: Error, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}
