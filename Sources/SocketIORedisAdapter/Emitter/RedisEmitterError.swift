public import Redis

/// Why an emitter could not publish.
public enum RedisEmitterError: Error, Sendable, Hashable {
    /// An event name the client library keeps for itself (`connect`, `disconnect`, …).
    case reservedEventName(String)
    /// Redis did not take the message.
    case redis(RedisError)
}
