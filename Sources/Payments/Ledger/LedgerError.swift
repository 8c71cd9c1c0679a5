/// A ledger failure. The caller cannot know whether it is lasting, so webhooks answer 503 and
/// let the provider retry.
public struct LedgerError: Error, CustomStringConvertible {
    public let operation: String
    public let underlying: any Error

    public init(operation: String, underlying: any Error) {
        self.operation = operation
        self.underlying = underlying
    }

    public var description: String { "ledger \(self.operation) failed: \(self.underlying)" }
}
