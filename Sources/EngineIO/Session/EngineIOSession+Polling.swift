import HTTPTypes
import Logging
import NIOCore
import Synchronization

/// HTTP long-polling: a GET takes what is queued (waiting until something is), a POST delivers
/// the client's packets. At most one of each may be in flight; a second is a protocol violation
/// that ends the session.
extension EngineIOSession {
    /// Answers a long-poll GET with the body to send.
    func poll() async throws(EngineIORequestError) -> PollingBody {
        try self.admit(\.pollInFlight, violation: "concurrent polling requests")
        let batch = await self.nextBatch()
        self.state.withLock { $0.pollInFlight = false }
        self.unregisterIfClosed()
        switch batch {
        case .frames(let frames):
            return self.pollingBody(frames)
        case .closed:
            if self.state.withLock({ $0.closeReason }) == .serverShutdown {
                throw EngineIORequestError(.unknownSessionID, detail: "server shutting down", status: .serviceUnavailable)
            }
            return self.pollingBody([EngineIOPacket.close.frame])
        }
    }

    /// Encodes frames as a polling response in the client's protocol revision.
    func pollingBody(_ frames: [EngineIOFrame]) -> PollingBody {
        guard self.protocolRevision == .v3 else { return PollingBody(bytes: PollingPayload.encode(frames)) }
        // The client's handshake query says it once: base64 for binary, or binary bodies.
        let (bytes, isBinary) = EngineIO3Payload.encode(frames, supportsBinary: self.request.queryValue("b64") == nil)
        return PollingBody(bytes: bytes, isBinary: isBinary)
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
    /// - Parameters:
    ///   - body: The request body.
    ///   - isBinary: Whether it came as `application/octet-stream` (an Engine.IO 3 client's
    ///     binary payload).
    func deliverPost(_ body: ByteBuffer, isBinary: Bool = false) throws(EngineIORequestError) {
        let packets: [EngineIOPacket]
        do {
            switch (self.protocolRevision, isBinary) {
            case (.v4, _): packets = try PollingPayload.decode(body)
            case (.v3, false): packets = try EngineIO3Payload.decodeText(body)
            case (.v3, true): packets = try EngineIO3Payload.decodeBinary(body)
            }
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

/// A polling response's body: text, or, for an Engine.IO 3 client that takes binary and has
/// binary messages waiting, `application/octet-stream`.
struct PollingBody: Sendable {
    var bytes: ByteBuffer
    var isBinary = false
}
