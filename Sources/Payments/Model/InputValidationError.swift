/// Why input from outside (a webhook body, a subscription payload) was refused; the message is
/// returned to the sender as is.
public struct InputValidationError: Error, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}
