import NIOCore
import Synchronization

/// Gathers the websocket writes that other threads ask of one event loop: the first request
/// schedules one task on the loop and later ones join it, so a broadcast to thousands of
/// sockets costs one hop per event loop instead of one per socket (each hop a queued closure
/// and, often, a wake-up of the loop's thread).
final class EventLoopWriteBatcher: Sendable {
    let eventLoop: any EventLoop
    private let pending = Mutex<Pending>(Pending())

    private struct Pending {
        var streams: [WebSocketSessionStream] = []
        var scheduled = false
    }

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Has `stream` write its waiting frames on the loop, with the other streams asked meanwhile.
    func schedule(_ stream: WebSocketSessionStream) {
        let first = self.pending.withLock { pending in
            pending.streams.append(stream)
            guard !pending.scheduled else { return false }
            pending.scheduled = true
            return true
        }
        if first { self.eventLoop.execute { self.writeScheduled() } }
    }

    private func writeScheduled() {
        let streams = self.pending.withLock { pending in
            defer {
                pending.streams = []
                pending.scheduled = false
            }
            return pending.streams
        }
        for stream in streams { stream.writeWaitingFrames() }
    }
}
