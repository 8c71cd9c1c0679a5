/// What every scenario needs to know about the run.
public struct BenchSettings: Sendable {
    public var target: BenchTarget
    /// The server's PID, to read its memory and CPU time; nil skips those figures.
    public var serverPID: Int32?
    /// Connection attempts in flight at once.
    public var concurrency: Int
    /// Connections per local address (127.0.0.1, .2, …) before moving to the next.
    public var connectionsPerAddress: Int
    /// Event-loop threads of the bench.
    public var threads: Int
    /// How long to keep the connections open after they are all up, answering heartbeats.
    public var hold: Duration
    /// Whether the server acknowledges `subscribe_booking` (PayNotify answers `{ok:true,…}`).
    /// The reference design's Node server sends no ack: a connection then counts as subscribed
    /// once its subscriptions are written, and figures are read after the server has gone quiet.
    public var subscriptionsAcknowledged: Bool
    /// How each connection reaches its websocket.
    public var transportPath: BenchTransportPath
    /// The headers of each connection's requests.
    public var requestHeaders: BenchRequestHeaders

    public init(
        target: BenchTarget,
        serverPID: Int32?,
        concurrency: Int,
        connectionsPerAddress: Int,
        threads: Int,
        hold: Duration,
        subscriptionsAcknowledged: Bool = true,
        transportPath: BenchTransportPath = .websocket,
        requestHeaders: BenchRequestHeaders = .minimal
    ) {
        self.target = target
        self.serverPID = serverPID
        self.concurrency = concurrency
        self.connectionsPerAddress = connectionsPerAddress
        self.threads = threads
        self.hold = hold
        self.subscriptionsAcknowledged = subscriptionsAcknowledged
        self.transportPath = transportPath
        self.requestHeaders = requestHeaders
    }
}

/// How a bench connection reaches the websocket it is subscribed on.
public enum BenchTransportPath: String, Sendable, CaseIterable {
    /// A websocket from the start (`transports: ["websocket"]`): the cheapest path.
    case websocket
    /// The official clients' default: a long-polling handshake and CONNECT, then the websocket
    /// upgrade (probe, pending poll ended with `noop`, `upgrade`), as every browser connects.
    case pollingThenUpgrade = "default"
}
