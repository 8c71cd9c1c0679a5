import EngineIO
import Logging
import NIOCore
import Synchronization

/// The Socket.IO side of one Engine.IO session: decodes its packets, routes them to the
/// namespace sockets it opened, and enforces `connectTimeout`.
final class SocketIOClient: EngineIOSessionDelegate {
    let session: EngineIOSession
    var logger: Logger { self.session.logger }
    let maximumPendingEvents: Int
    private let server: SocketIOServer
    private let state: Mutex<State>

    private struct State {
        var decoder: SocketIOPacketDecoder
        var sockets: [String: SocketIOSocket] = [:]
        var connectTimer: Scheduled<Void>?
        var budget: TokenBucket?
        var closed = false
    }

    init(session: EngineIOSession, server: SocketIOServer) {
        self.session = session
        self.server = server
        self.maximumPendingEvents = server.configuration.maximumPendingEvents
        self.state = Mutex(
            State(
                decoder: SocketIOPacketDecoder(
                    maximumAttachments: server.configuration.maximumAttachments,
                    maximumAttachmentBytes: server.configuration.maximumAttachmentBytes
                ),
                budget: server.configuration.packetRateLimit.map { TokenBucket(rate: $0.rate, burst: $0.burst) }
            )
        )
        // Held strongly until it fires or the first CONNECT cancels it (a weak reference would
        // give the client a side table, making every retain of it slower).
        let timer = session.eventLoop.scheduleTask(in: TimeAmount(server.configuration.connectTimeout)) {
            self.connectTimedOut()
        }
        self.state.withLock { $0.connectTimer = timer }
    }

    private func connectTimedOut() {
        guard self.state.withLock({ $0.sockets.isEmpty }) else { return }
        self.logger.debug("No namespace connected within connectTimeout, closing")
        self.session.close(reason: .serverClose)
    }

    func send(_ packet: SocketIOEncodedPacket) {
        self.session.send(packet.frames)
    }

    /// Registers a connected socket; false when the connection closed meanwhile (the caller
    /// then undoes the socket's registration in its namespace).
    func add(_ socket: SocketIOSocket) -> Bool {
        let (added, timer): (Bool, Scheduled<Void>?) = self.state.withLock { state in
            guard !state.closed else { return (false, nil) }
            state.sockets[socket.namespace.name] = socket
            defer { state.connectTimer = nil }
            return (true, state.connectTimer)
        }
        timer?.cancel()
        return added
    }

    func remove(_ socket: SocketIOSocket) {
        self.state.withLock { state in
            if state.sockets[socket.namespace.name] === socket { state.sockets[socket.namespace.name] = nil }
        }
    }

    private func socket(in namespace: String) -> SocketIOSocket? {
        self.state.withLock { $0.sockets[namespace] }
    }

    // MARK: EngineIOSessionDelegate

    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {
        let decoded: Result<SocketIOPacket?, SocketIOPacketDecodingError>? = self.state.withLock { state in
            guard state.budget?.take() ?? true else { return nil }
            do throws(SocketIOPacketDecodingError) {
                return .success(try state.decoder.decode(message))
            } catch {
                return .failure(error)
            }
        }
        guard let decoded else {
            self.rateLimitExceeded()
            return
        }
        switch decoded {
        case .failure(let error):
            self.logger.debug("Malformed Socket.IO packet, closing connection", metadata: ["error": "\(error)"])
            session.close(reason: .parseError)
        case .success(nil):
            break
        case .success(let packet?):
            self.route(packet)
        }
    }

    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {
        let (sockets, timer) = self.state.withLock { state in
            state.closed = true
            defer {
                state.sockets = [:]
                state.connectTimer = nil
            }
            return (Array(state.sockets.values), state.connectTimer)
        }
        timer?.cancel()
        let disconnectReason = SocketIODisconnectReason(reason)
        for socket in sockets {
            socket.close(reason: disconnectReason)
        }
    }

    /// Disconnects every socket of the connection (each may send a last word from its
    /// `onDisconnecting` handler), then closes the connection.
    private func rateLimitExceeded() {
        let sockets = self.state.withLock { Array($0.sockets.values) }
        self.logger.warning("Connection over its packet rate, disconnecting", metadata: ["limit": "\(self.server.configuration.packetRateLimit.map { "\($0.rate)/s burst \($0.burst)" } ?? "")"])
        for socket in sockets {
            socket.disconnect(reason: .rateLimited)
        }
        self.session.close()
    }

    private func refuseUnknownNamespace(_ name: String) {
        self.send(SocketIOPacket(kind: .connectError, namespace: name, payload: SocketIOConnectError("Invalid namespace").payload).encoded())
    }

    /// Routes a packet without waiting: a connection's middleware runs in a task of its own,
    /// events go to their socket's handler queue. As in the reference server, a packet for a
    /// namespace whose connection is still being accepted is dropped (clients wait for the
    /// CONNECT answer before sending).
    private func route(_ packet: SocketIOPacket) {
        switch packet.kind {
        case .connect:
            guard self.socket(in: packet.namespace) == nil else {
                self.logger.debug("Already connected to namespace", metadata: ["namespace": .string(packet.namespace)])
                return
            }
            let auth = packet.payload ?? [:]
            if let namespace = self.server.existingNamespace(packet.namespace) {
                if !namespace.connectWithoutMiddleware(client: self, auth: auth) {
                    Task(executorPreference: self.session.taskExecutor) { await namespace.connect(client: self, auth: auth) }
                }
            } else if self.server.hasGroups {
                Task(executorPreference: self.session.taskExecutor) {
                    guard let namespace = await self.server.namespace(connectingTo: packet.namespace, auth: auth) else {
                        self.refuseUnknownNamespace(packet.namespace)
                        return
                    }
                    await namespace.connect(client: self, auth: auth)
                }
            } else {
                self.refuseUnknownNamespace(packet.namespace)
            }
        case .disconnect:
            self.socket(in: packet.namespace)?.close(reason: .clientNamespaceDisconnect)
        case .event:
            self.socket(in: packet.namespace)?.dispatch(packet)
        case .ack:
            self.socket(in: packet.namespace)?.resolveAck(packet)
        case .connectError:
            self.logger.debug("Client sent CONNECT_ERROR, closing connection")
            self.session.close(reason: .parseError)
        }
    }
}
