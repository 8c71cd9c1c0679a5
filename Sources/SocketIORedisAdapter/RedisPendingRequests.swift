import MessagePack
import Synchronization

/// The requests this node is waiting on answers for, by request id: responses from the
/// subscriber are routed to the one that asked, for as long as it waits.
final class RedisPendingRequests: Sendable {
    private let waiting = Mutex<[String: AsyncStream<MessagePackValue>.Continuation]>([:])

    /// Whether `requestID` is one of this node's own requests (Node's adapter ignores its own
    /// requests the same way when they come back on the request channel).
    func isWaiting(for requestID: String) -> Bool {
        self.waiting.withLock { $0[requestID] != nil }
    }

    /// Hands a response to the request waiting for it; false if none is.
    @discardableResult
    func deliver(_ response: MessagePackValue, to requestID: String) -> Bool {
        guard let continuation = self.waiting.withLock({ $0[requestID] }) else { return false }
        continuation.yield(response)
        return true
    }

    /// Publishes a request, then folds its responses into `state` until `isComplete` says so or
    /// `timeout` passes. Returns the state and whether it completed.
    ///
    /// - Parameters:
    ///   - requestID: The id the responses carry.
    ///   - state: What is known before any response.
    ///   - timeout: How long to wait for responses.
    ///   - publish: Sends the request; a throw ends the wait at once.
    ///   - add: Adds one response to the state.
    ///   - isComplete: Whether every expected response is in.
    func gather<State: Sendable>(
        _ requestID: String,
        into state: State,
        timeout: Duration,
        publish: () async throws -> Void,
        add: (inout State, MessagePackValue) -> Void,
        isComplete: (State) -> Bool
    ) async throws -> (state: State, completed: Bool) {
        let (responses, continuation) = AsyncStream.makeStream(of: MessagePackValue.self)
        self.waiting.withLock { $0[requestID] = continuation }
        defer { self.waiting.withLock { $0[requestID] = nil } }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            continuation.finish()
        }
        defer { timer.cancel() }
        try await publish()
        var state = state
        if isComplete(state) { return (state, true) }
        for await response in responses {
            add(&state, response)
            if isComplete(state) { return (state, true) }
        }
        return (state, false)
    }
}
