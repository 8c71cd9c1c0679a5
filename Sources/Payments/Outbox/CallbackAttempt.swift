import Foundation

/// One delivery attempt of a callback event and the merchant's answer to it.
public struct CallbackAttempt: Sendable, Hashable {
    /// 1 for the event's first attempt.
    public let number: Int
    public let startedAt: Date
    /// The HTTP status the merchant answered; nil when there was no answer (`error` says why).
    public let statusCode: Int?
    /// Why there was no usable answer: a timeout, a refused connection, …
    public let error: String?
    public let duration: Duration

    public init(number: Int, startedAt: Date, statusCode: Int?, error: String?, duration: Duration) {
        self.number = number
        self.startedAt = startedAt
        self.statusCode = statusCode
        self.error = error
        self.duration = duration
    }

    /// The duration in whole milliseconds, as stored and shown.
    public var milliseconds: Int { Int(self.duration / .milliseconds(1)) }
}
