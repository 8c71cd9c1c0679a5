/// Connection-state recovery (Socket.IO 4.6+): a client whose connection dropped for a moment
/// (a train tunnel, a phone switching networks) reconnects as the same socket, in the same
/// rooms, with the same `data`, and receives the events it missed, in order.
///
/// What makes that possible costs memory: every event sent meanwhile is kept, and every
/// disconnected session, for `maxDisconnectionDuration`. The buffers are bounded; past a bound
/// the oldest go first, and a client whose missed events are gone gets a new session (as
/// after `maxDisconnectionDuration`): recovery is best effort, never a lie.
public struct SocketIOConnectionStateRecovery: Sendable, Hashable {
    /// How long a disconnected session can be recovered (Node's default: 2 minutes).
    public var maxDisconnectionDuration: Duration
    /// Whether a recovered socket skips the namespace's connection middleware (it passed them
    /// when it first connected), as in Node, where this is the default.
    public var skipMiddlewares: Bool
    /// Events kept per namespace for clients that may come back.
    public var maximumBufferedPackets: Int
    /// Bytes of those events kept per namespace (their encoded frames).
    public var maximumBufferedBytes: Int
    /// Disconnected sessions kept per namespace.
    public var maximumSessions: Int

    /// Node's defaults (2 minutes, middlewares skipped), and bounds that hold a busy namespace
    /// to tens of megabytes.
    public init(
        maxDisconnectionDuration: Duration = .seconds(120),
        skipMiddlewares: Bool = true,
        maximumBufferedPackets: Int = 100_000,
        maximumBufferedBytes: Int = 64 << 20,
        maximumSessions: Int = 100_000
    ) {
        self.maxDisconnectionDuration = maxDisconnectionDuration
        self.skipMiddlewares = skipMiddlewares
        self.maximumBufferedPackets = maximumBufferedPackets
        self.maximumBufferedBytes = maximumBufferedBytes
        self.maximumSessions = maximumSessions
    }
}
