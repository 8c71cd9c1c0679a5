public import Logging
public import NIOCore
import NIOWebSocket
import Synchronization

/// One Engine.IO client session, independent of the transport currently carrying it.
///
/// Outbound frames go into a bounded queue that the current transport drains (a long-poll GET,
/// or the websocket's writer), so sending never waits on the network and one slow client never
/// delays another. A client that lets the queue fill up is disconnected.
public final class EngineIOSession: Sendable {
    /// The session id (`sid`), 20 unguessable URL-safe characters.
    public let id: String
    /// The request that opened the session.
    public let request: EngineIOConnectionRequest
    /// The protocol revision the client speaks, as its handshake said (`EIO`).
    public let protocolRevision: EngineIOProtocolRevision
    /// The endpoint's configuration, registry and logger (`logger` adds this session's id).
    private let endpoint: SessionEndpoint
    var configuration: EngineIOConfiguration { self.endpoint.configuration }
    /// The loop its websocket and heartbeat run on.
    public var eventLoop: any EventLoop { self.taskExecutor.eventLoop }
    /// Runs tasks on `eventLoop`: where the layer above starts this connection's handlers.
    package let taskExecutor: EventLoopTaskExecutor
    /// Checks this session's heartbeat, with the endpoint's other sessions on its loop.
    let heartbeats: HeartbeatScheduler
    private var registry: SessionRegistry { self.endpoint.registry }
    /// Runs once when the session closes (e.g. to release an admission slot).
    private let onClose: (@Sendable () -> Void)?
    let state: Mutex<SessionState>

    init(
        id: String,
        request: EngineIOConnectionRequest,
        endpoint: SessionEndpoint,
        taskExecutor: EventLoopTaskExecutor,
        heartbeats: HeartbeatScheduler,
        onClose: (@Sendable () -> Void)? = nil
    ) {
        self.id = id
        self.onClose = onClose
        self.request = request
        // The endpoint admitted only `EIO=4`, or `EIO=3` when allowed.
        self.protocolRevision = request.queryValue("EIO") == "3" ? .v3 : .v4
        self.endpoint = endpoint
        self.taskExecutor = taskExecutor
        self.heartbeats = heartbeats
        self.state = Mutex(SessionState(transport: request.transport))
    }

    /// Logs with the session id as metadata. Built when used rather than stored: a logger with
    /// its own metadata costs about half a kilobyte, per connection, for lines rarely written.
    public var logger: Logger {
        var logger = self.endpoint.logger
        logger[metadataKey: "eio.sid"] = .string(self.id)
        return logger
    }

    /// The transport currently carrying the session.
    public var transport: EngineIOTransportKind { self.state.withLock { $0.transport } }

    /// False once the session is closing: sends are refused from then on.
    public var isOpen: Bool { self.state.withLock { $0.isOpen } }

    /// The close code a websocket carrying this session ends with.
    var closeCode: WebSocketErrorCode {
        self.state.withLock { $0.closeReason?.webSocketCloseCode ?? .normalClosure }
    }

    /// The handshake packet's JSON, as sent to the client.
    func handshakeJSON(upgrades: [EngineIOTransportKind]) -> String {
        let upgradeList = upgrades.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        return #"{"sid":"\#(self.id)","upgrades":[\#(upgradeList)],"pingInterval":\#(self.configuration.pingInterval.milliseconds),"pingTimeout":\#(self.configuration.pingTimeout.milliseconds),"maxPayload":\#(self.configuration.maxPayload)}"#
    }

    func attach(_ delegate: any EngineIOSessionDelegate) {
        self.state.withLock { state in
            if state.isOpen { state.delegate = delegate }
        }
    }

    // MARK: Sending

    /// Queues one frame for the client. Never waits for the network.
    /// - Parameter frame: An encoded frame.
    /// - Returns: False when the session is closed, or the client is not reading and its queue
    ///   is full (the session is then closed).
    @discardableResult
    public func send(_ frame: EngineIOFrame) -> Bool {
        self.send(CollectionOfOne(frame))
    }

    /// Queues frames that must reach the client together and in order (e.g. a binary packet and
    /// its attachments): all of them, or none when the queue has no room.
    /// - Parameter frames: Encoded frames, in order.
    /// - Returns: False when the session is closed or its queue is full (the session is then
    ///   closed).
    @discardableResult
    public func send(_ frames: some Collection<EngineIOFrame>) -> Bool {
        self.enqueue(frameCount: frames.count, enforceLimit: true) { $0.append(contentsOf: frames) }
    }

    /// Queues frames shared with other sessions (a broadcast), without copying or encoding them
    /// again for this one.
    /// - Parameter shared: Frames made once for every recipient.
    /// - Returns: False when the session is closed or its queue is full (the session is then
    ///   closed).
    @discardableResult
    public func send(_ shared: EngineIOSharedFrames) -> Bool {
        self.enqueue(frameCount: shared.frames.count, enforceLimit: true) { $0.append(.shared(shared)) }
    }

    /// Queues frames only if the transport can take them at once: a long-poll GET is waiting, or
    /// the websocket has written everything queued before. Otherwise they are dropped and false
    /// is returned: what Socket.IO's `volatile` emits ask for (a position update that is stale
    /// by the time a backed-up or reconnecting client would read it).
    @discardableResult
    public func sendIfWritable(_ frames: some Collection<EngineIOFrame>) -> Bool {
        self.enqueue(frameCount: frames.count, enforceLimit: true, onlyIfWritable: true) { $0.append(contentsOf: frames) }
    }

    /// Queues shared frames only if the transport can take them at once (see the other overload).
    @discardableResult
    public func sendIfWritable(_ shared: EngineIOSharedFrames) -> Bool {
        self.enqueue(frameCount: shared.frames.count, enforceLimit: true, onlyIfWritable: true) { $0.append(.shared(shared)) }
    }

    private func enqueue(frameCount: Int, enforceLimit: Bool, onlyIfWritable: Bool = false, _ append: (inout SessionState) -> Void) -> Bool {
        let outcome: EnqueueOutcome = self.state.withLock { state in
            guard state.isOpen else { return .refused }
            if onlyIfWritable, !state.isWritable { return .refused }
            if enforceLimit, state.queuedFrames + frameCount > self.configuration.maxQueuedFrames {
                return .overflow
            }
            append(&state)
            return .queued(state.wakeConsumer())
        }
        switch outcome {
        case .refused:
            return false
        case .overflow:
            self.logger.warning("Outbound queue full, closing slow session", metadata: ["limit": "\(self.configuration.maxQueuedFrames)"])
            self.close(reason: .outboundQueueOverflow)
            return false
        case .queued(let wake):
            wake?.run()
            return true
        }
    }

    private enum EnqueueOutcome {
        case refused
        case overflow
        case queued(OutboundWake?)
    }

    /// Waits for the next frames to write. Only one transport may wait at a time.
    func nextBatch() async -> OutboundBatch {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<OutboundBatch, Never>) in
                let ready: OutboundBatch? = self.state.withLock { state in
                    if let batch = state.takeBatch() { return batch }
                    state.consumer = .poll(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let poll: CheckedContinuation<OutboundBatch, Never>? = self.state.withLock { state in
                guard case .poll(let continuation) = state.consumer else { return nil }
                state.consumer = nil
                return continuation
            }
            poll?.resume(returning: .frames([]))
        }
    }

    // MARK: Receiving

    /// Handles one packet read from the client's current transport.
    func receive(_ packet: EngineIOPacket) {
        switch packet {
        case .message(let message):
            let delegate = self.state.withLock { $0.isOpen ? $0.delegate : nil }
            delegate?.session(self, didReceive: message)
        case .pong where self.protocolRevision == .v3:
            self.logger.debug("Pong from an Engine.IO 3 client, which pings instead")
            self.close(reason: .transportError("invalid heartbeat direction"))
        case .pong:
            self.pongReceived()
        case .ping(let data):
            // Engine.IO 3 clients ping, and their answer proves the session alive; Engine.IO 4
            // clients do not ping outside a probe, yet get their answer too.
            if self.protocolRevision == .v3 { self.pingReceived() }
            _ = self.enqueue(frameCount: 1, enforceLimit: false) { $0.append(.frame(EngineIOPacket.pong(data).frame)) }
        case .close:
            self.close(reason: .clientClose)
        case .noop:
            break
        case .open, .upgrade:
            self.logger.debug("Unexpected packet from client", metadata: ["packet": "\(packet)"])
            self.close(reason: .parseError)
        }
    }

    // MARK: Closing

    /// Closes the session on the server's initiative, delivering what is already queued first.
    public func close() {
        self.close(reason: .serverClose)
    }

    /// Ends the session: tells the delegate once, stops the heartbeat, and lets the transport
    /// finish (a polling client gets a final `close` packet, or `noop` when it asked to close).
    /// Closing a closed session does nothing.
    /// - Parameter reason: Why; decides whether queued frames are still delivered
    ///   (`serverClose`, `serverShutdown`) and, on a websocket, the close code.
    public func close(reason: EngineIOCloseReason) {
        struct Closing {
            var delegate: (any EngineIOSessionDelegate)?
            var wake: OutboundWake?
            var unregister: Bool
        }
        let closing: Closing? = self.state.withLock { state in
            guard state.isOpen else { return nil }
            state.closeReason = reason
            if !reason.flushesQueue { state.removeQueued() }
            let finalFrame = state.transport == .polling ? reason.finalPollingFrame : nil
            state.lifecycle = .draining(finalFrame: finalFrame)
            let delegate = state.delegate
            state.delegate = nil
            let wake = state.wakeConsumer()
            // A polling client picks up its last frames (or, when it asked to close, the `noop`
            // ending a poll that raced its close request) with its next GET, so the session stays
            // findable until then; otherwise nobody will ever ask for it again.
            // A stopping server's client with nothing left to read is refused at once (see `poll()`).
            let awaitsFinalPoll = state.transport == .polling && !state.isClosed
                && (reason.flushesQueue || reason == .clientClose) && (finalFrame != nil || !state.queue.isEmpty)
            return Closing(delegate: delegate, wake: wake, unregister: !awaitsFinalPoll)
        }
        guard let closing else { return }
        self.heartbeats.remove(self)
        self.logger.debug("Engine.IO session closed", metadata: ["reason": "\(reason)"])
        if closing.unregister {
            self.registry.remove(self)
        } else {
            self.eventLoop.scheduleTask(in: TimeAmount(self.configuration.pingTimeout)) {
                self.finishDraining()
            }
        }
        closing.wake?.run()
        self.onClose?()
        closing.delegate?.session(self, didCloseWith: reason)
    }


    /// Drops a drained session that its polling client never came back for.
    private func finishDraining() {
        let wake = self.state.withLock { state in
            state.removeQueued()
            state.lifecycle = .closed
            return state.wakeConsumer()
        }
        self.registry.remove(self)
        wake?.run()
    }

    /// Removes the session from the registry once its last frames have been handed out.
    func unregisterIfClosed() {
        if self.state.withLock({ $0.isClosed }) { self.registry.remove(self) }
    }
}
