/// The acknowledgements a request to many peers collected: one per socket for a broadcast, one
/// per node for a server-side event.
public struct SocketIOAckResults: Sendable, Hashable {
    /// Each peer's answer (its acknowledgement's first argument, `null` when it sent none), in
    /// the order they arrived.
    public var responses: [SocketIOValue]
    /// Peers that were sent the request and did not answer in time.
    public var missing: Int

    /// Results of a request, none by default: a cluster adapter starts from these and adds.
    ///
    /// - Parameters:
    ///   - responses: The answers collected, in the order they arrived.
    ///   - missing: How many peers did not answer in time.
    public init(responses: [SocketIOValue] = [], missing: Int = 0) {
        self.responses = responses
        self.missing = missing
    }

    /// Adds another peer group's results (another node's, say) to these.
    public mutating func merge(_ other: SocketIOAckResults) {
        self.responses += other.responses
        self.missing += other.missing
    }
}

/// A broadcast or server-side event with acknowledgements that some peers did not answer
/// before its timeout (Node's `operation has timed out`): what did arrive is kept.
public struct SocketIOAckTimeoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The answers that arrived in time.
    public let responses: [SocketIOValue]
    /// How many peers did not answer.
    public let missing: Int

    /// The error of a request some peers did not answer.
    ///
    /// - Parameters:
    ///   - responses: The answers that arrived in time.
    ///   - missing: How many peers did not answer, at least one.
    public init(responses: [SocketIOValue], missing: Int) {
        self.responses = responses
        self.missing = missing
    }

    /// Node's message, with the count of peers that did not answer.
    public var description: String {
        "operation has timed out: \(self.missing) of \(self.missing + self.responses.count) did not answer"
    }
}
