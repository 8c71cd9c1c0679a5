import DequeModule
import NIOCore

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
        /// A websocket has answered the probe; the next poll must end with a `noop`.
        case probing
        case upgraded
    }

    var transport: EngineIOTransportKind
    var lifecycle: Lifecycle = .open
    var upgrade: Upgrade = .none
    var queue = Deque<EngineIOFrame>()
    /// The transport waiting for frames: a pending long-poll GET, or the websocket.
    var consumer: OutboundConsumer?
    /// The stream consumer was told about waiting frames and has not taken them yet.
    var streamNotified = false
    var pendingNoop = false
    var pollInFlight = false
    var postInFlight = false
    var delegate: (any EngineIOSessionDelegate)?
    var heartbeat: Scheduled<Void>?
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

    /// Takes everything the next consumer should write, or nil when there is nothing yet.
    mutating func takeBatch() -> OutboundBatch? {
        switch self.lifecycle {
        case .open:
            guard !self.queue.isEmpty || self.pendingNoop else { return nil }
            var frames = Array(self.queue)
            self.queue.removeAll()
            if self.pendingNoop {
                frames.append(EngineIOPacket.noop.frame)
                self.pendingNoop = false
            }
            return .frames(frames)
        case .draining(let finalFrame):
            var frames = Array(self.queue)
            self.queue.removeAll()
            if let finalFrame { frames.append(finalFrame) }
            self.lifecycle = .closed
            return frames.isEmpty ? .closed : .frames(frames)
        case .closed:
            return .closed
        }
    }

    /// Takes what a stream consumer writes next: the queued frames, and whether the session is
    /// over (nothing will follow them).
    mutating func takeStreamBatch() -> (frames: [EngineIOFrame], finished: Bool) {
        self.streamNotified = false
        let taken: (frames: [EngineIOFrame], finished: Bool)
        switch self.takeBatch() {
        case .frames(let frames): taken = (frames, self.isClosed)
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
