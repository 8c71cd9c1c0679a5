/// How an endpoint compresses what it sends: permessage-deflate on websockets
/// (`EngineIOConfiguration.perMessageDeflate`, off by default as in Node: it costs CPU on
/// every large message, and Socket.IO's events are mostly short) or gzip/deflate of polling
/// responses (`httpCompression`, on by default as in Node).
///
/// On websockets the server always negotiates no context takeover in both directions: each
/// message is compressed on its own, so a broadcast is compressed once for all its recipients
/// and a connection keeps no compressor state between messages.
public struct EngineIOCompression: Sendable, Hashable {
    /// Messages (or polling responses) smaller than this many bytes are sent as they are
    /// (Node's default: 1024).
    public var threshold: Int
    /// zlib's level, 1 (fastest) to 9 (smallest); 6 is zlib's default and Node's.
    public var level: Int

    /// - Parameters:
    ///   - threshold: The smallest payload compressed, in bytes.
    ///   - level: zlib's compression level, 1 to 9.
    public init(threshold: Int = 1024, level: Int = 6) {
        self.threshold = threshold
        self.level = level
    }
}
