/// A configuration value that cannot be used; start-up stops with this message.
public struct ConfigurationError: Error, Hashable, CustomStringConvertible {
    /// The environment variable (or `.env` line) at fault.
    public let variable: String
    public let message: String

    public init(variable: String, _ message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(self.variable): \(self.message)" }
}
