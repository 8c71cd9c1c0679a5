/// A failed Redis operation, with enough context to log; never carries a command's arguments.
public enum RedisError: Error, Hashable, CustomStringConvertible {
    case invalidURL(String)
    /// Redis is not reachable (refused, closed, or still backing off after a failure).
    case unavailable(String)
    case timeout(command: String)
    /// Redis answered with an error reply.
    case server(command: String, message: String)
    /// Redis sent something that is not RESP, or not the expected shape.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .invalidURL(let detail): "invalid REDIS_URL: \(detail)"
        case .unavailable(let detail): "Redis unavailable: \(detail)"
        case .timeout(let command): "Redis did not answer \(command) in time"
        case .server(let command, let message): "Redis refused \(command): \(message)"
        case .protocolViolation(let detail): "Redis protocol violation: \(detail)"
        }
    }
}
