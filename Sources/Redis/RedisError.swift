/// A failed Redis operation, with enough context to log; never carries a command's arguments
/// (they may be secrets), only its name.
///
/// A struct with static members rather than an enum, as Hummingbird's errors are: a kind of
/// failure added later is a new member, not a new case that breaks every `switch` over it.
/// Compare ``code`` to tell kinds apart (`error.code == .unavailable`).
public struct RedisError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure, without its detail.
    public struct Code: Sendable, Hashable {
        fileprivate enum Value: Sendable, Hashable {
            case invalidURL
            case unavailable
            case timeout
            case server
            case protocolViolation
        }

        fileprivate let value: Value

        /// A `redis://` URL that cannot be read.
        public static var invalidURL: Self { Self(value: .invalidURL) }
        /// Redis is not reachable (refused, closed, or still backing off after a failure).
        public static var unavailable: Self { Self(value: .unavailable) }
        /// Redis did not answer within the command timeout; the connection was dropped.
        public static var timeout: Self { Self(value: .timeout) }
        /// Redis answered with an error reply; the connection is fine.
        public static var server: Self { Self(value: .server) }
        /// Redis sent something that is not RESP, or not the expected shape.
        public static var protocolViolation: Self { Self(value: .protocolViolation) }
    }

    /// The kind of failure.
    public let code: Code
    /// The command's name (`GET`, `EVAL`), for `timeout` and `server`.
    public let command: String?
    /// What happened: a detail for logs or, for `server`, Redis's error reply.
    public let message: String

    private init(_ code: Code, command: String? = nil, message: String) {
        self.code = code
        self.command = command
        self.message = message
    }

    /// A `redis://` URL that cannot be read.
    /// - Parameter detail: What is wrong with it (never the URL itself: it may hold a password).
    public static func invalidURL(_ detail: String) -> Self {
        Self(.invalidURL, message: detail)
    }

    /// Redis is not reachable (refused, closed, or still backing off after a failure).
    /// - Parameter detail: Why, for logs.
    public static func unavailable(_ detail: String) -> Self {
        Self(.unavailable, message: detail)
    }

    /// Redis did not answer `command` within the command timeout.
    /// - Parameter command: The command's name.
    public static func timeout(command: String) -> Self {
        Self(.timeout, command: command, message: "")
    }

    /// Redis answered `command` with an error reply.
    /// - Parameters:
    ///   - command: The command's name.
    ///   - message: Redis's error reply, e.g. `ERR value is not an integer or out of range`.
    public static func server(command: String, message: String) -> Self {
        Self(.server, command: command, message: message)
    }

    /// Redis sent something that is not RESP, or not the expected shape.
    /// - Parameter detail: What was expected, for logs.
    public static func protocolViolation(_ detail: String) -> Self {
        Self(.protocolViolation, message: detail)
    }

    /// One line for logs.
    public var description: String {
        switch self.code.value {
        case .invalidURL: "invalid REDIS_URL: \(self.message)"
        case .unavailable: "Redis unavailable: \(self.message)"
        case .timeout: "Redis did not answer \(self.command ?? "?") in time"
        case .server: "Redis refused \(self.command ?? "?"): \(self.message)"
        case .protocolViolation: "Redis protocol violation: \(self.message)"
        }
    }
}
