import NIOCore
import Synchronization

/// The Engine.IO 4 heartbeat: the server pings every `pingInterval`; a client that does not answer
/// within `pingTimeout` is gone. The session keeps only its next deadline; its endpoint's
/// `HeartbeatScheduler` on the session's loop checks it, so an idle session costs no timer,
/// thread or Swift task of its own.
///
/// Engine.IO 3 turns it around: the client pings every `pingInterval` and the server answers;
/// a client silent for `pingInterval + pingTimeout` is gone. Such a session waits for its
/// client's ping from the start, so the scheduler never pings it.
extension EngineIOSession {
    func startHeartbeat() {
        self.state.withLock { state in
            if self.protocolRevision == .v3 {
                state.awaitingPong = true
                state.heartbeatDeadline = self.eventLoop.now + self.clientPingAllowance
            } else {
                state.heartbeatDeadline = self.eventLoop.now + TimeAmount(self.configuration.pingInterval)
            }
        }
        self.heartbeats.add(self)
    }

    /// How long an Engine.IO 3 client may go without pinging.
    private var clientPingAllowance: TimeAmount {
        TimeAmount(self.configuration.pingInterval + self.configuration.pingTimeout)
    }

    /// An Engine.IO 3 client pinged: its session lives another `pingInterval + pingTimeout`.
    func pingReceived() {
        self.state.withLock { state in
            guard state.isOpen else { return }
            state.heartbeatDeadline = self.eventLoop.now + self.clientPingAllowance
        }
    }

    /// Encoded once: every session sends the same ping.
    private static let pingFrame = EngineIOPacket.ping("").frame

    /// Sends the ping, or closes the session, when its deadline falls before `nextCheck`.
    func heartbeatDue(at now: NIODeadline, before nextCheck: NIODeadline) {
        enum Due { case nothing, ping(OutboundWake?), timeout }
        let due: Due = self.state.withLock { state in
            guard state.isOpen, nextCheck > state.heartbeatDeadline else { return .nothing }
            if state.awaitingPong { return .timeout }
            state.append(.frame(Self.pingFrame))
            state.awaitingPong = true
            state.heartbeatDeadline = now + TimeAmount(self.configuration.pingTimeout)
            return .ping(state.wakeConsumer())
        }
        switch due {
        case .nothing: break
        case .ping(let wake): wake?.run()
        case .timeout: self.close(reason: .pingTimeout)
        }
    }

    func pongReceived() {
        self.state.withLock { state in
            guard state.isOpen, state.awaitingPong else { return }
            state.awaitingPong = false
            state.heartbeatDeadline = self.eventLoop.now + TimeAmount(self.configuration.pingInterval)
        }
    }
}
