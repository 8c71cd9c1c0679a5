import EngineIO
import Logging
import NIOCore
import OrderedCollections
import Synchronization

/// The Socket.IO side of one Engine.IO session: decodes its packets, routes them to the
/// namespace sockets it opened, and enforces `connectTimeout`.
///
/// An Engine.IO 3 session is a socket.io-client 2.x, which speaks Socket.IO protocol 4: it is
/// connected to `/` without asking, puts its namespace's auth in the CONNECT's namespace as a
/// query, expects a CONNECT answer without payload and a refusal as a plain message, and
/// derives its socket ids from the session id (see `legacyProtocol` and its uses).
final class SocketIOClient: EngineIOSessionDelegate {
    let session: EngineIOSession
    var logger: Logger { self.session.logger }
    let maximumPendingEvents: Int
    private let server: SocketIOServer
    private let state: Mutex<State>

    private struct State {
        var decoder: SocketIOPacketDecoder
        /// One per namespace connected; few per connection (usually one), so a list searched by
        /// name: a dictionary's storage would cost about 120 bytes per connection more.
        var sockets: [SocketIOSocket] = []

        func socket(in namespace: String) -> SocketIOSocket? {
            self.sockets.first { $0.namespace.name == namespace }
        }
        var connectTimer: Scheduled<Void>?
        var budget: TokenBucket?
        var closed = false
    }

    /// Whether the client speaks Socket.IO protocol 4 (over Engine.IO 3): socket.io-client 2.x.
    var legacyProtocol: Bool { self.session.protocolRevision == .v3 }

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

    /// Connects a Socket.IO protocol 4 client to `/`, which it never asks for: the server does
    /// so as soon as the session opens, as Node's does.
    func connectDefaultNamespace() {
        self.session.eventLoop.execute {
            self.route(SocketIOPacket(kind: .connect, namespace: "/"))
        }
    }

    /// The CONNECT answer: the socket's id (and, with recovery, its private id), or nothing for
    /// a Socket.IO protocol 4 client.
    func connectAnswer(socketID: String, privateID: String?) -> SocketIOValue? {
        guard !self.legacyProtocol else { return nil }
        guard let privateID else { return ["sid": .string(socketID)] }
        return ["sid": .string(socketID), "pid": .string(privateID)]
    }

    /// A middleware's refusal as the client reads it: `{message, data}`, or for a Socket.IO
    /// protocol 4 client the data alone when there is some, else the message.
    func connectErrorPayload(_ refusal: SocketIOConnectError) -> SocketIOValue {
        guard self.legacyProtocol else { return refusal.payload }
        return refusal.data ?? .string(refusal.message)
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
            if let index = state.sockets.firstIndex(where: { $0.namespace.name == socket.namespace.name }) {
                state.sockets[index] = socket
            } else {
                state.sockets.append(socket)
            }
            defer { state.connectTimer = nil }
            return (true, state.connectTimer)
        }
        timer?.cancel()
        return added
    }

    func remove(_ socket: SocketIOSocket) {
        self.state.withLock { state in
            state.sockets.removeAll { $0 === socket }
        }
    }

    private func socket(in namespace: String) -> SocketIOSocket? {
        self.state.withLock { $0.socket(in: namespace) }
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
                state.sockets = []
                state.connectTimer = nil
            }
            return (state.sockets, state.connectTimer)
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
        let sockets = self.state.withLock { $0.sockets }
        self.logger.warning("Connection over its packet rate, disconnecting", metadata: ["limit": "\(self.server.configuration.packetRateLimit.map { "\($0.rate)/s burst \($0.burst)" } ?? "")"])
        for socket in sockets {
            socket.disconnect(reason: .rateLimited)
        }
        self.session.close()
    }

    /// A Socket.IO protocol 4 CONNECT names its namespace with the client's query for it
    /// (`/admin?token=abc`): the namespace, and the query as the handshake's auth, as Node reads it.
    static func splitLegacyNamespace(_ namespace: String) -> (String, SocketIOValue) {
        guard let question = namespace.firstIndex(of: "?") else { return (namespace, [:]) }
        let query = EngineIOConnectionRequest.parseQuery(namespace[namespace.index(after: question)...])
        return (String(namespace[..<question]), .object(OrderedDictionary(uniqueKeysWithValues: query.sorted { $0.key < $1.key }.map { ($0.key, SocketIOValue.string($0.value)) })))
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
            let (name, auth) = self.legacyProtocol ? Self.splitLegacyNamespace(packet.namespace) : (packet.namespace, packet.payload ?? [:])
            guard self.socket(in: name) == nil else {
                self.logger.debug("Already connected to namespace", metadata: ["namespace": .string(name)])
                return
            }
            if let namespace = self.server.existingNamespace(name) {
                if !namespace.connectWithoutMiddleware(client: self, auth: auth) {
                    Task(executorPreference: self.session.taskExecutor) { await namespace.connect(client: self, auth: auth) }
                }
            } else if self.server.hasGroups {
                Task(executorPreference: self.session.taskExecutor) {
                    guard let namespace = await self.server.namespace(connectingTo: name, auth: auth) else {
                        self.refuseUnknownNamespace(name)
                        return
                    }
                    await namespace.connect(client: self, auth: auth)
                }
            } else {
                self.refuseUnknownNamespace(name)
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
