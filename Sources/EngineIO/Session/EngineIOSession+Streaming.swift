import DequeModule
import Synchronization

/// The session's side of a streaming transport (the websocket): frames are pushed to it as
/// they are queued.
extension EngineIOSession {
    /// Makes `stream` the consumer of the outbound queue, for the rest of the session.
    func attach(stream: any OutboundFrameStream) {
        let wake: OutboundWake? = self.state.withLock { state in
            state.consumer = .stream(stream)
            return state.wakeConsumer()
        }
        wake?.run()
    }

    /// Takes what to write; `finished` once the session is over and nothing follows.
    func takeStreamBatch() -> (items: Deque<OutboundItem>, finished: Bool) {
        self.state.withLock { $0.takeStreamBatch() }
    }
}
