public import Redis

/// Why an emitter could not publish.
public enum RedisEmitterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An event name the client library keeps for itself (`connect`, `disconnect`, …).
    case reservedEventName(String)
    /// Redis did not take the message.
    case redis(RedisError)

    /// What went wrong, for a person: the refused name, or Redis's error.
    public var description: String {
        switch self {
        case .reservedEventName(let name): "'\(name)' is reserved by the Socket.IO client and cannot be emitted"
        case .redis(let error): "\(error)"
        }
    }
}
