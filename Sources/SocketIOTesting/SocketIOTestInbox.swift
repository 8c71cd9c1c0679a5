import SocketIO
import Synchronization

/// What the server sent one test connection, sorted by socket, and the callers waiting for it.
///
/// A socket is one CONNECT of a namespace (its `slot`): connecting a namespace again after a
/// disconnection starts a new slot, so an old client never reads the new socket's packets.
/// Items nobody has taken yet wait in arrival order; a wait takes the first that fits. A
/// disconnection stays: every later wait on its socket fails at once, except one for the
/// disconnection itself.
///
/// Everything received is kept for the connection's life (for `receivedEvents`): this is a
/// test's recorder, not a long-running client.
final class SocketIOTestInbox: Sendable {
    /// One thing the server said to one socket.
    enum Item: Sendable {
        case connected(socketID: String)
        case refused(SocketIOConnectError)
        case event(SocketIOEvent)
        case ack(id: Int, arguments: [SocketIOValue])
        case disconnected(SocketIOTestDisconnectReason)

        var disconnectReason: SocketIOTestDisconnectReason? {
            if case .disconnected(let reason) = self { return reason }
            return nil
        }
    }

    private typealias Outcome = Result<Item, SocketIOTestError>

    private struct Waiter {
        let id: Int
        let slot: Int
        let awaited: String
        let accepts: @Sendable (Item) -> Bool
        let continuation: CheckedContinuation<Outcome, Never>
        var timer: Task<Void, Never>?
    }

    /// A waiter to resume once the lock is released.
    private struct Wake {
        let waiter: Waiter
        let outcome: Outcome

        func run() {
            self.waiter.timer?.cancel()
            self.waiter.continuation.resume(returning: self.outcome)
        }
    }

    private struct State {
        /// The socket each namespace's packets go to now: connecting or connected.
        var live: [String: Int] = [:]
        var nextSlot = 0
        var unclaimed: [(slot: Int, item: Item)] = []
        var events: [Int: [SocketIOEvent]] = [:]
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        /// Set once the connection is over: no socket can connect or receive any more.
        var ended: SocketIOTestDisconnectReason?

        /// Takes the first unclaimed item of `slot` that `accepts` takes, or the failure a
        /// disconnection before it means; nil when the caller must wait.
        mutating func claim(_ slot: Int, awaited: String, _ accepts: (Item) -> Bool) -> Outcome? {
            for (index, entry) in self.unclaimed.enumerated() where entry.slot == slot {
                if accepts(entry.item) {
                    // A disconnection stays for whoever asks next.
                    if entry.item.disconnectReason == nil { self.unclaimed.remove(at: index) }
                    return .success(entry.item)
                }
                if let reason = entry.item.disconnectReason {
                    return .failure(.disconnected(reason, awaiting: awaited))
                }
            }
            if let ended, !self.live.values.contains(slot) {
                return .failure(.disconnected(ended, awaiting: awaited))
            }
            return nil
        }

        /// Hands `item` to the first waiter of `slot` that takes it, or keeps it; a
        /// disconnection wakes every waiter of the socket: those for it with it, the others
        /// with a failure.
        mutating func deliver(_ item: Item, to slot: Int) -> [Wake] {
            if case .event(let event) = item { self.events[slot, default: []].append(event) }
            let reason = item.disconnectReason
            var wakes: [Wake] = []
            var index = 0
            while index < self.waiters.count {
                let waiter = self.waiters[index]
                guard waiter.slot == slot else {
                    index += 1
                    continue
                }
                if waiter.accepts(item) {
                    wakes.append(Wake(waiter: self.waiters.remove(at: index), outcome: .success(item)))
                    if reason == nil { return wakes }
                } else if let reason {
                    wakes.append(Wake(waiter: self.waiters.remove(at: index), outcome: .failure(.disconnected(reason, awaiting: waiter.awaited))))
                } else {
                    index += 1
                }
            }
            self.unclaimed.append((slot, item))
            return wakes
        }

        mutating func removeWaiter(_ id: Int) -> Waiter? {
            guard let index = self.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return self.waiters.remove(at: index)
        }
    }

    private let state = Mutex(State())

    // MARK: Sockets

    /// Starts a socket in `namespace`, before its CONNECT is sent; its slot.
    func open(_ namespace: String, awaiting awaited: String) throws(SocketIOTestError) -> Int {
        let opened: Result<Int, SocketIOTestError> = self.state.withLock { state in
            if let ended = state.ended { return .failure(.disconnected(ended, awaiting: awaited)) }
            guard state.live[namespace] == nil else { return .failure(.alreadyConnected(awaiting: awaited)) }
            defer { state.nextSlot += 1 }
            state.live[namespace] = state.nextSlot
            return .success(state.nextSlot)
        }
        return try opened.get()
    }

    /// Whether `slot` is the namespace's current socket (connecting or connected).
    func isLive(_ slot: Int, in namespace: String) -> Bool {
        self.state.withLock { $0.live[namespace] == slot }
    }

    /// The events `slot` received, taken by a wait or not, in arrival order.
    func events(of slot: Int) -> [SocketIOEvent] {
        self.state.withLock { $0.events[slot] ?? [] }
    }

    /// The number of namespaces with a socket, connecting or connected.
    var liveCount: Int {
        self.state.withLock { $0.live.count }
    }

    // MARK: Delivering

    /// Delivers what the server sent to `namespace`'s current socket; dropped when it has none.
    /// A refusal or a disconnection ends the socket: its namespace may be connected again.
    func deliver(_ item: Item, to namespace: String) {
        let wakes: [Wake] = self.state.withLock { state in
            guard let slot = state.live[namespace] else { return [] }
            switch item {
            case .refused, .disconnected: state.live[namespace] = nil
            case .connected, .event, .ack: break
            }
            return state.deliver(item, to: slot)
        }
        for wake in wakes { wake.run() }
    }

    /// Ends the connection: every socket still live is disconnected with `reason`.
    func end(_ reason: SocketIOTestDisconnectReason) {
        let wakes: [Wake] = self.state.withLock { state in
            guard state.ended == nil else { return [] }
            state.ended = reason
            let slots = state.live.values.sorted()
            state.live = [:]
            var wakes: [Wake] = []
            for slot in slots { wakes += state.deliver(.disconnected(reason), to: slot) }
            return wakes
        }
        for wake in wakes { wake.run() }
    }

    // MARK: Waiting

    /// Takes the first item of `slot` that `pick` makes something of, waiting at most `limit`
    /// for it.
    ///
    /// - Parameters:
    ///   - slot: The socket whose items to look at.
    ///   - awaited: What is awaited, for the error when it does not come ("event 'paid' on /").
    ///   - limit: How long to wait for it.
    ///   - pick: What the wanted item holds, nil for any other item.
    /// - Throws: `.timedOut` at `limit`; `.disconnected` when the socket is disconnected first;
    ///   `.cancelled` when the waiting task is.
    func take<Value>(
        from slot: Int,
        awaiting awaited: String,
        within limit: Duration,
        _ pick: @escaping @Sendable (Item) -> Value?
    ) async throws(SocketIOTestError) -> Value {
        let accepts: @Sendable (Item) -> Bool = { pick($0) != nil }
        let id = self.state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let ready: Outcome? = self.state.withLock { state in
                    if let claimed = state.claim(slot, awaited: awaited, accepts) { return claimed }
                    if Task.isCancelled { return .failure(.cancelled(awaiting: awaited)) }
                    var waiter = Waiter(id: id, slot: slot, awaited: awaited, accepts: accepts, continuation: continuation)
                    // Started under the lock, so it cannot fire before its waiter is registered.
                    waiter.timer = Task {
                        try? await Task.sleep(for: limit)
                        guard !Task.isCancelled else { return }
                        self.resolve(id, .failure(.timedOut(awaiting: awaited, after: limit)))
                    }
                    state.waiters.append(waiter)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.resolve(id, .failure(.cancelled(awaiting: awaited)))
        }
        // `accepts` took the item, so `pick` makes something of it.
        return try pick(outcome.get())!
    }

    /// Ends waiter `id` with `outcome`, unless something ended it first.
    private func resolve(_ id: Int, _ outcome: Outcome) {
        let waiter = self.state.withLock { $0.removeWaiter(id) }
        if let waiter { Wake(waiter: waiter, outcome: outcome).run() }
    }
}
