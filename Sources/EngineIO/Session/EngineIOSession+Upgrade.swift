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
        let result: (Bool, OutboundWake?) = self.state.withLock { state in
            guard state.isOpen, state.transport == .polling, state.upgrade == .none else { return (false, nil) }
            state.upgrade = .probing
            state.pendingNoop = true
            return (true, state.wakeConsumer())
        }
        result.1?.run()
        return result.0
    }

    /// The client sent `upgrade` on the websocket: switch transports. From now on `stream`
    /// drains the queue.
    func completeUpgrade(to stream: any OutboundFrameStream) -> Bool {
        struct Switch {
            var pendingPoll: CheckedContinuation<OutboundBatch, Never>?
            var wake: OutboundWake?
        }
        let result: Switch? = self.state.withLock { state in
            guard state.isOpen, state.transport == .polling, state.upgrade == .probing else { return nil }
            state.upgrade = .upgraded
            state.transport = .websocket
            state.pendingNoop = false
            var pendingPoll: CheckedContinuation<OutboundBatch, Never>?
            if case .poll(let continuation) = state.consumer { pendingPoll = continuation }
            state.consumer = .stream(stream)
            return Switch(pendingPoll: pendingPoll, wake: state.wakeConsumer())
        }
        guard let result else { return false }
        // A poll still pending is answered with `noop` only: the queue now belongs to the websocket.
        result.pendingPoll?.resume(returning: .frames([EngineIOPacket.noop.frame]))
        result.wake?.run()
        return true
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
