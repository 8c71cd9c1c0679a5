/// Settings of the Socket.IO layer. Engine.IO settings (heartbeat, payload limit, CORS) live in
/// `EngineIOConfiguration`.
public struct SocketIOConfiguration: Sendable {
    /// A client that has not connected to any namespace by then is dropped.
    public var connectTimeout: Duration
    /// Attachments one binary packet may announce.
    public var maximumAttachments: Int
    /// Bytes of attachments one binary packet may carry in all.
    public var maximumAttachmentBytes: Int
    /// Events of one socket that may wait for their handlers; a client sending faster than its
    /// handlers keep up is disconnected past this, so it cannot grow the server's memory.
    public var maximumPendingEvents: Int
    /// Packets per second one connection may send; nil: unlimited.
    public var packetRateLimit: PacketRateLimit?
    /// How long a broadcast's `emitWithAck`, `fetchSockets` and `serverSideEmitWithAck` wait
    /// for their answers when no `timeout(_:)` says.
    public var ackTimeout: Duration
    /// Lets a client whose connection dropped come back as the same socket and receive what it
    /// missed (off when nil, as in Node). See `SocketIOConnectionStateRecovery`.
    public var connectionStateRecovery: SocketIOConnectionStateRecovery?

    /// The defaults are Node's where it has the setting (`connectTimeout`, 45 s) and bounds
    /// that keep one client from holding much memory where it has not.
    public init(
        connectTimeout: Duration = .seconds(45),
        maximumAttachments: Int = 1000,
        maximumAttachmentBytes: Int = 10_000_000,
        maximumPendingEvents: Int = 256,
        packetRateLimit: PacketRateLimit? = nil,
        ackTimeout: Duration = .seconds(5),
        connectionStateRecovery: SocketIOConnectionStateRecovery? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.maximumAttachments = maximumAttachments
        self.maximumAttachmentBytes = maximumAttachmentBytes
        self.maximumPendingEvents = maximumPendingEvents
        self.packetRateLimit = packetRateLimit
        self.ackTimeout = ackTimeout
        self.connectionStateRecovery = connectionStateRecovery
    }
}
