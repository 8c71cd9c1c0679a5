import HTTPTypes
import SocketIO
import Synchronization

/// A Socket.IO client for tests: it connects to a `SocketIOServer` in-process, with no HTTP
/// server, no network socket and no other language, emits events, and awaits the server's
/// events, acknowledgements and disconnections.
///
/// What it sends is what the official client's packets would be, and what it reads is what the
/// server would write to a websocket, decoded with the library's own packet decoder (binary
/// attachments included). Its handshake skips the Engine.IO admission policy.
///
/// ```swift
/// import SocketIO
/// import SocketIOTesting
/// import Testing
///
/// @Test func greets() async throws {
///     let io = SocketIOServer()
///     io.main.onConnection { socket in
///         socket.on("hello") { event in
///             event.ack?("hi")
///             socket.emit("welcome", .string(socket.id))
///         }
///     }
///     let client = try await SocketIOTestClient.connect(to: io, auth: ["token": "secret"])
///     #expect(try await client.emitWithAck("hello") == ["hi"])
///     let welcome = try await client.nextEvent(named: "welcome")
///     #expect(welcome.arguments == [.string(client.id)])
///     client.disconnect()
/// }
/// ```
///
/// One client is one socket: one namespace of one connection. `namespace(_:auth:within:)`
/// opens another namespace on the same connection, as the official client multiplexes them.
///
/// Every wait is bounded (`defaultTimeout` unless given) and fails with a `SocketIOTestError`
/// that names what was awaited. Events are kept in arrival order until a `nextEvent` takes
/// them, so one that arrived before the test asked for it is still found; `receivedEvents`
/// lists them all. Everything received is kept for the connection's life: this is a test's
/// recorder, not a long-running client.
///
/// Like a browser's, the connection stays open until the client disconnects its last socket or
/// the server closes it, even once the test holds no client of it: `await io.close()` at the
/// end of a test closes every connection the test left open.
public final class SocketIOTestClient: Sendable {
    /// How long a wait lasts when the call gives no limit.
    public static let defaultTimeout: Duration = .seconds(5)

    /// The socket id the server's CONNECT answer gave, `socket.id` on the server.
    public let id: String
    /// The namespace this socket is in, `/` for the main one.
    public let namespace: String
    private let connection: SocketIOTestConnection
    private let slot: Int
    private let nextAckID = Atomic<Int>(0)

    private init(id: String, namespace: String, connection: SocketIOTestConnection, slot: Int) {
        self.id = id
        self.namespace = namespace
        self.connection = connection
        self.slot = slot
    }

    // MARK: Connecting

    /// Opens a connection to `server` and connects a socket in `namespace`, as the official
    /// client's `io(url, { auth, extraHeaders, query })` does.
    ///
    /// - Parameters:
    ///   - server: The server to connect to, through its Engine.IO endpoint (`server.engine`).
    ///   - namespace: The namespace to connect to; it must exist on the server (`io.of(name)`).
    ///   - auth: The CONNECT packet's `auth` object, what middleware reads as `handshake.auth`;
    ///     nil sends none (the server then sees `{}`).
    ///   - headers: The handshake request's headers, as `handshake.request.headers`.
    ///   - query: The handshake request's query, as `handshake.request.query` (with `EIO` and
    ///     `transport` added unless given).
    ///   - limit: How long to wait for the server's answer to CONNECT.
    /// - Returns: The connected socket; its `id` is the server's socket id. It returns once the
    ///   server has answered CONNECT; the server's `onConnection` handlers run after that
    ///   answer. Events the test emits wait behind them, but what they set up (rooms joined, the
    ///   socket's own `onDisconnect`) may not be there yet: `emitWithAck` of an event the
    ///   server acknowledges returns once they have run.
    /// - Throws: `SocketIOTestError` with code `.connectRefused` and the server's message and
    ///   data in `refusal` when middleware refuses (or the namespace does not exist);
    ///   `.timedOut` when no answer comes within `limit`.
    public static func connect(
        to server: SocketIOServer,
        namespace: String = "/",
        auth: SocketIOValue? = nil,
        headers: HTTPFields = [:],
        query: [String: String] = [:],
        within limit: Duration = defaultTimeout
    ) async throws(SocketIOTestError) -> SocketIOTestClient {
        let connection = SocketIOTestConnection(server: server, headers: headers, query: query)
        // On failure, the connection's only socket leaves, which closes it.
        return try await Self.connect(namespace, auth: auth, on: connection, within: limit)
    }

    /// Connects a socket in another namespace on this client's connection (one Engine.IO
    /// session, as the official client multiplexes namespaces). A refusal leaves the
    /// connection and its other sockets as they are.
    ///
    /// - Parameters:
    ///   - name: The namespace to connect to, e.g. `/admin`.
    ///   - auth: That namespace's CONNECT `auth` object; nil sends none.
    ///   - limit: How long to wait for the server's answer.
    /// - Throws: `SocketIOTestError`: `.connectRefused` (see `refusal`), `.timedOut`,
    ///   `.alreadyConnected` when the connection has a socket in `name` already, or
    ///   `.disconnected` when the connection is over.
    public func namespace(_ name: String, auth: SocketIOValue? = nil, within limit: Duration = defaultTimeout) async throws(SocketIOTestError) -> SocketIOTestClient {
        try await Self.connect(name, auth: auth, on: self.connection, within: limit)
    }

    private enum ConnectAnswer: Sendable {
        case accepted(socketID: String)
        case refused(SocketIOConnectError)
    }

    private static func connect(
        _ namespace: String,
        auth: SocketIOValue?,
        on connection: SocketIOTestConnection,
        within limit: Duration
    ) async throws(SocketIOTestError) -> SocketIOTestClient {
        let namespace = namespace.hasPrefix("/") ? namespace : "/" + namespace
        let awaited = "the answer to CONNECT \(namespace)"
        let slot = try connection.inbox.open(namespace, awaiting: awaited)
        connection.transport.send(SocketIOPacket(kind: .connect, namespace: namespace, payload: auth))
        let answer: ConnectAnswer
        do {
            answer = try await connection.inbox.take(from: slot, awaiting: awaited, within: limit) { item in
                switch item {
                case .connected(let socketID): .accepted(socketID: socketID)
                case .refused(let refusal): .refused(refusal)
                case .event, .ack, .disconnected: nil
                }
            }
        } catch {
            // A late answer must not leave the server with a socket the test knows nothing of.
            Self.leave(namespace, on: connection)
            throw error
        }
        switch answer {
        case .accepted(let socketID):
            return SocketIOTestClient(id: socketID, namespace: namespace, connection: connection, slot: slot)
        case .refused(let refusal):
            // A connection left with no socket is closed, as the official client closes it.
            if connection.inbox.liveCount == 0 { connection.transport.close() }
            throw .connectRefused(refusal, awaiting: awaited)
        }
    }

    /// Whether the socket is still in its namespace: neither side has disconnected it and the
    /// connection is open.
    public var isConnected: Bool {
        self.connection.inbox.isLive(self.slot, in: self.namespace)
    }

    // MARK: Emitting

    /// Sends an event to the server, as the official client's `socket.emit(event, …)`.
    ///
    /// It returns once the server has read the packet; its handlers run afterwards, on the
    /// server's own tasks. To wait until they have, use `emitWithAck` with an event the server
    /// acknowledges. Sent after a disconnection, an event is dropped, as the server would drop it.
    ///
    /// - Parameters:
    ///   - event: The event name.
    ///   - arguments: Its arguments; binary values travel as attachments.
    public func emit(_ event: String, _ arguments: SocketIOValue...) {
        self.emit(event, arguments: arguments)
    }

    /// Sends an event with its arguments as an array; see `emit(_:_:)`.
    public func emit(_ event: String, arguments: [SocketIOValue]) {
        self.connection.transport.send(.event(event, arguments, namespace: self.namespace))
    }

    /// Sends an event asking for an acknowledgement and waits for it, as the official client's
    /// `socket.timeout(ms).emitWithAck(event, …)`.
    ///
    /// - Parameters:
    ///   - event: The event name.
    ///   - arguments: Its arguments.
    ///   - timeout: How long to wait for the server's `event.ack?(…)`.
    /// - Returns: The acknowledgement's arguments.
    /// - Throws: `SocketIOTestError`: `.timedOut` when the server does not acknowledge in time,
    ///   `.disconnected` when the socket is disconnected first.
    public func emitWithAck(_ event: String, _ arguments: SocketIOValue..., timeout: Duration = defaultTimeout) async throws(SocketIOTestError) -> [SocketIOValue] {
        try await self.emitWithAck(event, arguments: arguments, timeout: timeout)
    }

    /// Sends an event asking for an acknowledgement, its arguments as an array; see
    /// `emitWithAck(_:_:timeout:)`.
    public func emitWithAck(_ event: String, arguments: [SocketIOValue], timeout: Duration = defaultTimeout) async throws(SocketIOTestError) -> [SocketIOValue] {
        let ackID = self.nextAckID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.connection.transport.send(.event(event, arguments, namespace: self.namespace, ackID: ackID))
        return try await self.connection.inbox.take(
            from: self.slot,
            awaiting: "the acknowledgement of '\(event)' (ack \(ackID)) on \(self.namespace)",
            within: timeout
        ) { item in
            guard case .ack(id: ackID, arguments: let arguments) = item else { return nil }
            return arguments
        }
    }

    // MARK: Receiving

    /// Waits for the server's next event named `name` not taken yet, one that arrived before
    /// the call included; events of other names stay for later calls.
    ///
    /// When the server asked for an acknowledgement (`socket.emitWithAck`), the event's `ack`
    /// answers it: `event.ack?("ok")`.
    ///
    /// - Parameters:
    ///   - name: The event name to wait for.
    ///   - limit: How long to wait.
    /// - Throws: `SocketIOTestError`: `.timedOut` when no such event arrives in time,
    ///   `.disconnected` when the socket is disconnected before one does.
    public func nextEvent(named name: String, within limit: Duration = defaultTimeout) async throws(SocketIOTestError) -> SocketIOEvent {
        try await self.connection.inbox.take(from: self.slot, awaiting: "event '\(name)' on \(self.namespace)", within: limit) { item in
            guard case .event(let event) = item, event.name == name else { return nil }
            return event
        }
    }

    /// Waits for the server's next event not taken yet, whatever its name; see
    /// `nextEvent(named:within:)`.
    public func nextEvent(within limit: Duration = defaultTimeout) async throws(SocketIOTestError) -> SocketIOEvent {
        try await self.connection.inbox.take(from: self.slot, awaiting: "any event on \(self.namespace)", within: limit) { item in
            guard case .event(let event) = item else { return nil }
            return event
        }
    }

    /// Every event this socket received so far, in arrival order, whether a `nextEvent` took it
    /// or not: for checking what was sent, or that something was not.
    public var receivedEvents: [SocketIOEvent] {
        self.connection.inbox.events(of: self.slot)
    }

    // MARK: Disconnecting

    /// Leaves the namespace, as the official client's `socket.disconnect()`: sends DISCONNECT
    /// (the server's handlers see `client namespace disconnect`). When no other namespace of
    /// the connection has a socket, the connection is closed too. Waits on this socket then
    /// fail with `.disconnected`, and `disconnected(within:)` returns `.ioClientDisconnect`.
    public func disconnect() {
        guard self.isConnected else { return }
        Self.leave(self.namespace, on: self.connection)
    }

    private static func leave(_ namespace: String, on connection: SocketIOTestConnection) {
        connection.transport.send(SocketIOPacket(kind: .disconnect, namespace: namespace))
        connection.inbox.deliver(.disconnected(.ioClientDisconnect), to: namespace)
        if connection.inbox.liveCount == 0 { connection.transport.close() }
    }

    /// Waits until the socket is disconnected, and says how: `.ioServerDisconnect` when the
    /// server disconnected it (`socket.disconnect()`), `.transportClose` when the connection
    /// ended (`io.close()`, a timeout), `.ioClientDisconnect` after `disconnect()`. Returns at
    /// once when it already is.
    ///
    /// - Parameter limit: How long to wait.
    /// - Throws: `SocketIOTestError` with code `.timedOut` when the socket is still connected
    ///   at `limit`.
    public func disconnected(within limit: Duration = defaultTimeout) async throws(SocketIOTestError) -> SocketIOTestDisconnectReason {
        try await self.connection.inbox.take(from: self.slot, awaiting: "the disconnection of \(self.namespace)", within: limit) { item in
            item.disconnectReason
        }
    }
}
