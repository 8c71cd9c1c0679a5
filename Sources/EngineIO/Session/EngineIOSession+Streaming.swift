import DequeModule
import Logging
import Synchronization

/// The session's side of a streaming transport (the websocket): frames are pushed to it as
/// they are queued, and packets it reads are handed over without the transport waiting.
extension EngineIOSession {
    /// Makes `stream` the consumer of the outbound queue, for the rest of the session.
    func attach(stream: any OutboundFrameStream) {
        let wake: OutboundWake? = self.state.withLock { state in
            state.consumer = .stream(stream)
            return state.wakeConsumer()
        }
        wake?.run()
    }

    /// Takes the frames to write; `finished` once the session is over and nothing follows.
    func takeStreamBatch() -> (frames: [EngineIOFrame], finished: Bool) {
        self.state.withLock { $0.takeStreamBatch() }
    }

    /// Hands over one packet read from a streaming transport, which never waits for it to be
    /// handled: heartbeat answers are handled at once, other packets in order, one at a time,
    /// by a task that lives only while packets are waiting. A client that keeps more than
    /// `maxQueuedFrames` packets waiting is closed.
    func deliver(_ packet: EngineIOPacket) {
        enum Outcome { case handled, queued, startReceiving, overflow }
        let outcome: Outcome = self.state.withLock { state in
            if case .pong = packet, state.inbound.isEmpty, !state.receiving { return .handled }
            guard state.inbound.count < self.configuration.maxQueuedFrames else { return .overflow }
            state.inbound.append(packet)
            guard !state.receiving else { return .queued }
            state.receiving = true
            return .startReceiving
        }
        switch outcome {
        case .handled:
            self.pongReceived()
        case .queued:
            break
        case .startReceiving:
            Task { await self.receiveDelivered() }
        case .overflow:
            self.logger.warning("Too many packets waiting to be handled, closing", metadata: ["limit": "\(self.configuration.maxQueuedFrames)"])
            self.close(reason: .transportError("too many packets waiting to be handled"))
        }
    }

    private func receiveDelivered() async {
        while let packet = self.nextDelivered() {
            await self.receive(packet)
        }
    }

    private func nextDelivered() -> EngineIOPacket? {
        self.state.withLock { state in
            guard state.isOpen, let packet = state.inbound.popFirst() else {
                state.inbound.removeAll()
                state.receiving = false
                return nil
            }
            return packet
        }
    }
}
