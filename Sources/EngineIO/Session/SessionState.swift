import DequeModule
import NIOCore

/// One entry of a session's outbound queue.
enum OutboundItem: Sendable {
    case frame(EngineIOFrame)
    /// A broadcast's frames, shared with the other sessions it reached.
    case shared(EngineIOSharedFrames)

    var frameCount: Int {
        switch self {
        case .frame: 1
        case .shared(let shared): shared.frames.count
        }
    }
}

/// What the transport waiting for outbound frames gets next.
enum OutboundBatch: Sendable {
    case frames([EngineIOFrame])
    /// The session is over and nothing is left to write.
    case closed
}

/// The mutable part of a session, only ever touched under the session's lock.
struct SessionState {
    enum Lifecycle {
        case open
        /// Logically closed; what is still queued (plus a final frame for a polling client) goes
        /// to the next consumer, then the session is `closed`.
        case draining(finalFrame: EngineIOFrame?)
        case closed
    }

    enum Upgrade {
        case none
        /// A websocket is upgrading the session (connected, probing); once it has answered the
        /// probe, polls are ended with `noop` (see `probeAnswered`).
        case probing
        case upgraded
    }

    var transport: EngineIOTransportKind
    var lifecycle: Lifecycle = .open
    /// Why the session is closing, once it is.
    var closeReason: EngineIOCloseReason?
    var upgrade: Upgrade = .none
    var queue = Deque<OutboundItem>()
    /// The frames in `queue`, counted against `maxQueuedFrames`.
    var queuedFrames = 0
    /// The transport waiting for frames: a pending long-poll GET, or the websocket.
    var consumer: OutboundConsumer?
    /// The stream consumer was told about waiting frames and has not taken them yet.
    var streamNotified = false
    var pendingNoop = false
    var pollInFlight = false
    var postInFlight = false
    var delegate: (any EngineIOSessionDelegate)?
    /// When the next ping is due, or, while `awaitingPong`, when the client's answer is overdue.
    var heartbeatDeadline = NIODeadline.distantFuture
    /// The client owes a heartbeat: the pong to our ping, or (Engine.IO 3) its own next ping.
    var awaitingPong = false

    init(transport: EngineIOTransportKind) {
        self.transport = transport
    }

    var isOpen: Bool {
        if case .open = self.lifecycle { return true }
        return false
    }

    var isClosed: Bool {
        if case .closed = self.lifecycle { return true }
        return false
    }

    /// The transport would write a frame queued now without waiting behind others: a poll is
    /// pending, or the websocket has taken everything it was told about.
    var isWritable: Bool {
        guard self.queue.isEmpty else { return false }
        switch self.consumer {
        case .poll: return true
        case .stream: return !self.streamNotified
        case nil: return false
        }
    }

    mutating func append(_ item: OutboundItem) {
        self.queue.append(item)
        self.queuedFrames += item.frameCount
    }

    mutating func append(contentsOf frames: some Sequence<EngineIOFrame>) {
        for frame in frames { self.append(.frame(frame)) }
    }

    mutating func removeQueued() {
        self.queue.removeAll()
        self.queuedFrames = 0
    }

    /// Empties the queue into the items the next consumer writes: its storage moves with
    /// them, uncopied (`removeAll()` starts a new, empty queue rather than clearing the shared one).
    private mutating func takeQueued() -> Deque<OutboundItem> {
        defer { self.removeQueued() }
        return self.queue
    }

    /// Takes everything the next consumer should write, or nil when there is nothing yet.
    mutating func takeBatch() -> OutboundBatch? {
        self.takeItems().map { items in
            switch items {
            case .items(let items): .frames(items.flatMap(\.frames))
            case .closed: .closed
            }
        }
    }

    private enum TakenItems {
        case items(Deque<OutboundItem>)
        case closed
    }

    private mutating func takeItems() -> TakenItems? {
        switch self.lifecycle {
        case .open:
            guard !self.queue.isEmpty || self.pendingNoop else { return nil }
            var items = self.takeQueued()
            if self.pendingNoop {
                items.append(.frame(EngineIOPacket.noop.frame))
                // While a websocket probes, every poll is ended at once, not only the one pending
                // when `3probe` went out: the client pauses polling only once it reads `3probe`,
                // and a poll it started in between would wait for the next packet or ping, its
                // upgrade stalled that long (Node's server ends polls with noop every 100 ms
                // while upgrading).
                self.pendingNoop = self.upgrade == .probing
            }
            return .items(items)
        case .draining(let finalFrame):
            var items = self.takeQueued()
            if let finalFrame { items.append(.frame(finalFrame)) }
            self.lifecycle = .closed
            return items.isEmpty ? .closed : .items(items)
        case .closed:
            return .closed
        }
    }

    /// Takes what a stream consumer writes next: the queued items, and whether the session is
    /// over (nothing will follow them).
    mutating func takeStreamBatch() -> (items: Deque<OutboundItem>, finished: Bool) {
        self.streamNotified = false
        let taken: (items: Deque<OutboundItem>, finished: Bool)
        switch self.takeItems() {
        case .items(let items): taken = (items, self.isClosed)
        case .closed: taken = ([], true)
        case nil: taken = ([], false)
        }
        if taken.finished { self.consumer = nil }
        return taken
    }

    /// What to do, once the lock is released, so the consumer learns of a ready batch: a
    /// waiting poll gets it (and is done), a stream is told (once until it takes it).
    mutating func wakeConsumer() -> OutboundWake? {
        switch self.consumer {
        case nil:
            return nil
        case .poll(let continuation):
            guard let batch = self.takeBatch() else { return nil }
            self.consumer = nil
            return .answer(continuation, batch)
        case .stream(let stream):
            guard !self.streamNotified, !self.queue.isEmpty || !self.isOpen else { return nil }
            self.streamNotified = true
            return .notify(stream)
        }
    }
}

extension OutboundItem {
    var frames: [EngineIOFrame] {
        switch self {
        case .frame(let frame): [frame]
        case .shared(let shared): shared.frames
        }
    }
}
