import Logging
import Synchronization
/// The polling → websocket upgrade. While a websocket probes, the session keeps writing to the
/// polling transport; when the client sends `upgrade` the queue is simply drained by the websocket
/// from then on, so no packet is lost or reordered by the switch.
extension EngineIOSession {
    /// A websocket with this session's id has connected. False when the session cannot upgrade
    /// (already on websocket, or another probe under way).
    func canBeginUpgrade() -> Bool {
        self.state.withLock { state in
            state.isOpen && state.transport == .polling && state.upgrade == .none
        }
    }

    /// The websocket answered `3probe`: end the pending poll (now or at the next GET) with `noop`
    /// so the client can pause polling.
    func probeAnswered() -> Bool {
        let result: (Bool, (CheckedContinuation<OutboundBatch, Never>, OutboundBatch)?) = self.state.withLock { state in
            guard state.isOpen, state.transport == .polling, state.upgrade == .none else { return (false, nil) }
            state.upgrade = .probing
            state.pendingNoop = true
            return (true, state.wakeConsumer())
        }
        if let (consumer, batch) = result.1 { consumer.resume(returning: batch) }
        return result.0
    }

    /// The client sent `upgrade` on the websocket: switch transports.
    func completeUpgrade() -> Bool {
        let result: (Bool, CheckedContinuation<OutboundBatch, Never>?) = self.state.withLock { state in
            guard state.isOpen, state.transport == .polling, state.upgrade == .probing else { return (false, nil) }
            state.upgrade = .upgraded
            state.transport = .websocket
            state.pendingNoop = false
            let pendingPoll = state.consumer
            state.consumer = nil
            return (true, pendingPoll)
        }
        // A poll still pending is answered with `noop` only: the queue now belongs to the websocket.
        result.1?.resume(returning: .frames([EngineIOPacket.noop.frame]))
        return result.0
    }

    /// The probing websocket went away before upgrading: carry on with polling.
    func abortUpgrade() {
        self.state.withLock { state in
            if state.upgrade == .probing {
                state.upgrade = .none
                state.pendingNoop = false
            }
        }
    }
}
