import HTTPTypes
import Logging
import NIOCore
import Synchronization

/// HTTP long-polling: a GET takes what is queued (waiting until something is), a POST delivers
/// the client's packets. At most one of each may be in flight; a second is a protocol violation
/// that ends the session.
extension EngineIOSession {
    /// Answers a long-poll GET with the body to send.
    func poll() async throws(EngineIORequestError) -> ByteBuffer {
        try self.admit(\.pollInFlight, violation: "concurrent polling requests")
        let batch = await self.nextBatch()
        self.state.withLock { $0.pollInFlight = false }
        self.unregisterIfClosed()
        switch batch {
        case .frames(let frames):
            return PollingPayload.encode(frames)
        case .closed:
            if self.state.withLock({ $0.closeReason }) == .serverShutdown {
                throw EngineIORequestError(.unknownSessionID, detail: "server shutting down", status: .serviceUnavailable)
            }
            return PollingPayload.encode([EngineIOPacket.close.frame])
        }
    }

    /// Marks a POST as in flight, refusing a concurrent one or one on an upgraded session.
    func beginPost() throws(EngineIORequestError) {
        try self.admit(\.postInFlight, violation: "concurrent POST requests")
    }

    /// Lets one request of a kind (GET or POST) in: a second one in flight at the same time is a
    /// protocol violation that closes the session, and a polling request after the upgrade is
    /// refused.
    private func admit(_ inFlight: WritableKeyPath<SessionState, Bool>, violation: String) throws(EngineIORequestError) {
        enum Admission { case admitted, upgraded, duplicate }
        let admission: Admission = self.state.withLock { state in
            if state.transport != .polling || state.upgrade == .upgraded { return .upgraded }
            if state[keyPath: inFlight] { return .duplicate }
            state[keyPath: inFlight] = true
            return .admitted
        }
        switch admission {
        case .upgraded:
            throw EngineIORequestError(.badRequest, detail: "polling request on a session that upgraded to websocket")
        case .duplicate:
            self.close(reason: .transportError(violation))
            throw EngineIORequestError(.badRequest, detail: violation)
        case .admitted:
            break
        }
    }

    /// Delivers the packets of a POST body, in order. Call between `beginPost` and `endPost`.
    func deliverPost(_ body: ByteBuffer) throws(EngineIORequestError) {
        let packets: [EngineIOPacket]
        do {
            packets = try PollingPayload.decode(body)
        } catch {
            self.logger.debug("Invalid polling payload", metadata: ["error": "\(error)"])
            self.close(reason: .parseError)
            throw EngineIORequestError(.badRequest, detail: error.description)
        }
        for packet in packets {
            self.receive(packet)
        }
    }

    func endPost() {
        self.state.withLock { $0.postInFlight = false }
    }
}
