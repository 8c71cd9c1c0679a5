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
    /// The transport waiting for frames: a pending long-poll GET, or the websocket writer.
    var consumer: CheckedContinuation<OutboundBatch, Never>?
    var pendingNoop = false
    var pollInFlight = false
    var postInFlight = false
    var delegate: (any EngineIOSessionDelegate)?
    var heartbeat: Scheduled<Void>?
    var awaitingPong = false
    /// Run once when the session closes (the transport's clean-up).
    var closeCallbacks: [@Sendable () -> Void] = []

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

    /// Hands a ready batch to the waiting consumer, if both exist. The caller resumes the returned
    /// continuation after releasing the lock.
    mutating func wakeConsumer() -> (CheckedContinuation<OutboundBatch, Never>, OutboundBatch)? {
        guard let consumer = self.consumer, let batch = self.takeBatch() else { return nil }
        self.consumer = nil
        return (consumer, batch)
    }
}
