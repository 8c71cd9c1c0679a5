import Logging
import NIOCore
import Synchronization

/// The polling → websocket upgrade. While a websocket probes, the session keeps writing to the
/// polling transport; when the client sends `upgrade` the queue is simply drained by the websocket
/// from then on, so no packet is lost or reordered by the switch.
extension EngineIOSession {
    /// A websocket with this session's id has connected: it has the upgrade until it completes
    /// or gives it up, and another websocket is refused meanwhile (as Node's server refuses one
    /// while the session is upgrading), even before the first has sent `2probe`. False when the
    /// session cannot upgrade (already on websocket, or another websocket upgrading).
    func beginUpgrade() -> Bool {
        self.state.withLock { state in
            guard state.isOpen, state.transport == .polling, state.upgrade == .none else { return false }
            state.upgrade = .probing
            return true
        }
    }

    /// How long after `3probe` a pending poll is left to end by itself (with the next packet
    /// sent) before it is ended with `noop`: Node's server checks every 100 ms. Ending it at once
    /// would hand the client a `noop` where, in Node, it gets the answer it is waiting for.
    static let probePollGrace = TimeAmount.milliseconds(100)

    /// The websocket answered `3probe`: the client pauses polling once its pending poll ends, so
    /// polls are ended with `noop` from `probePollGrace` on, if none ended by itself.
    func probeAnswered() -> Bool {
        let answered = self.state.withLock { state in
            state.isOpen && state.transport == .polling && state.upgrade == .probing
        }
        if answered {
            self.eventLoop.scheduleTask(in: Self.probePollGrace) { self.endPollsWhileProbing() }
        }
        return answered
    }

    /// Ends the pending poll (now or at the next GET) with `noop`, and every poll after it until
    /// the upgrade is over.
    private func endPollsWhileProbing() {
        let wake: OutboundWake? = self.state.withLock { state in
            guard state.isOpen, state.upgrade == .probing else { return nil }
            state.pendingNoop = true
            return state.wakeConsumer()
        }
        wake?.run()
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

    /// The upgrading websocket went away before upgrading: carry on with polling.
    func abortUpgrade() {
        self.state.withLock { state in
            if state.upgrade == .probing {
                state.upgrade = .none
                state.pendingNoop = false
            }
        }
    }
}
