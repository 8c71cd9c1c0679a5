import Synchronization

/// Whether this node is draining, and how many webhooks it is still handling. Once draining
/// starts no webhook enters, so the count only falls, and the drain waits for it to reach zero.
final class DrainState: Sendable {
    private struct State {
        var draining = false
        var webhooksInFlight = 0
    }

    private let state = Mutex(State())

    var isDraining: Bool { self.state.withLock { $0.draining } }

    var webhooksInFlight: Int { self.state.withLock { $0.webhooksInFlight } }

    /// Counts a webhook in; false (and not counted) when draining: refuse it.
    func enterWebhook() -> Bool {
        self.state.withLock { state in
            guard !state.draining else { return false }
            state.webhooksInFlight += 1
            return true
        }
    }

    func leaveWebhook() {
        self.state.withLock { $0.webhooksInFlight -= 1 }
    }

    /// From now on webhooks and connections are refused.
    func startDraining() {
        self.state.withLock { $0.draining = true }
    }
}
