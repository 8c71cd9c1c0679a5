/// A request to the other nodes of the cluster that did not complete: which one, in which
/// namespace, and why. Answers that did arrive are not returned: a partial `fetchSockets` or
/// `allRooms` would look complete.
public struct RedisAdapterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the request did not complete.
    public enum Reason: Sendable, Hashable {
        /// Some nodes did not answer in time (a node died mid-request, or Redis lost the message).
        case timedOut(answered: Int, expected: Int)
        /// The request could not be published, or the nodes counted: Redis is unreachable.
        case redisUnreachable(String)
        /// The adapter's protocol has no such request (`allRooms` on the sharded adapter).
        case notInProtocol
    }

    /// The operation, as Node names it (`fetchSockets`, `allRooms`).
    public let operation: String
    /// The namespace it was about.
    public let namespace: String
    /// Why it did not complete.
    public let reason: Reason

    /// The operation, its namespace and the reason.
    public var description: String {
        switch self.reason {
        case .timedOut(let answered, let expected):
            "\(self.operation) in \(self.namespace): timed out with \(answered) of \(expected) other nodes answering"
        case .redisUnreachable(let error):
            "\(self.operation) in \(self.namespace): Redis unreachable: \(error)"
        case .notInProtocol:
            "\(self.operation) in \(self.namespace): the adapter's protocol cannot ask the other nodes for it"
        }
    }
}
