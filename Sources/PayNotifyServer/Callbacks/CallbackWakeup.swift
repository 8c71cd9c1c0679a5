import Synchronization

/// Wakes the callback worker early: when a payment wrote an event, or an attempt finished and
/// freed a slot. A signal with no one waiting is kept for the next wait (one at most).
final class CallbackWakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
        var lastID = 0
        /// Waits up to this id have timed out (or were cancelled).
        var expiredID = 0
    }

    private let state = Mutex(State())

    init() {}

    func signal() {
        let waiter = self.state.withLock { state in
            guard let waiter = state.waiter else {
                state.signalled = true
                return CheckedContinuation<Void, Never>?.none
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one is pending), after `timeout`, or when the
    /// task is cancelled.
    func wait(upTo timeout: Duration) async {
        let id = self.state.withLock { state in
            state.lastID += 1
            return state.lastID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = self.state.withLock { state in
                    if state.signalled || state.expiredID >= id {
                        state.signalled = false
                        return true
                    }
                    state.waiter = (id, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
            group.cancelAll()
        }
    }

    private func expire(_ id: Int) {
        let waiter = self.state.withLock { state in
            state.expiredID = max(state.expiredID, id)
            guard let waiter = state.waiter, waiter.id == id else { return CheckedContinuation<Void, Never>?.none }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
