import NIOCore
import Synchronization

/// The Engine.IO 4 heartbeat: the server pings every `pingInterval`; a client that does not answer
/// within `pingTimeout` is gone. Timers run on the session's event loop, so an idle session costs
/// one scheduled task and no thread or Swift task.
///
/// The timers hold the session strongly (closing cancels them): a weak reference would give
/// every session a side table, making each retain of it, on every broadcast, the slow kind.
extension EngineIOSession {
    func startHeartbeat() {
        self.scheduleNextPing()
    }

    private func scheduleNextPing() {
        let delay = TimeAmount(self.configuration.pingInterval)
        self.state.withLock { state in
            guard state.isOpen else { return }
            state.heartbeat = self.eventLoop.scheduleTask(in: delay) { self.sendPing() }
        }
    }

    /// Encoded once: every session sends the same ping.
    private static let pingFrame = EngineIOPacket.ping("").frame

    private func sendPing() {
        let timeout = TimeAmount(self.configuration.pingTimeout)
        let wake: OutboundWake? = self.state.withLock { state in
            guard state.isOpen else { return nil }
            state.append(.frame(Self.pingFrame))
            state.awaitingPong = true
            state.heartbeat = self.eventLoop.scheduleTask(in: timeout) {
                self.close(reason: .pingTimeout)
            }
            return state.wakeConsumer()
        }
        wake?.run()
    }

    func pongReceived() {
        let answered = self.state.withLock { state in
            guard state.isOpen, state.awaitingPong else { return false }
            state.awaitingPong = false
            state.heartbeat?.cancel()
            state.heartbeat = nil
            return true
        }
        if answered { self.scheduleNextPing() }
    }
}
