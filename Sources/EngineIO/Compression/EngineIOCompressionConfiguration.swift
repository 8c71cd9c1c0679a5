/// permessage-deflate on the websocket transport (RFC 7692). Off by default, as in Node: it
/// costs CPU on every large message, and its usual win (text that repeats) is small for
/// Socket.IO's short events.
///
/// The server always negotiates no context takeover in both directions: each message is
/// compressed on its own, so a broadcast is compressed once for all its recipients, and a
/// connection keeps no compressor or decompressor state between messages.
public struct EngineIOPerMessageDeflate: Sendable, Hashable {
    /// Messages smaller than this many bytes are sent uncompressed (Node's default: 1024).
    public var threshold: Int
    /// zlib's level, 1 (fastest) to 9 (smallest); 6 is zlib's default and Node's.
    public var level: Int

    /// - Parameters:
    ///   - threshold: The smallest message, in bytes, that is compressed.
    ///   - level: zlib's compression level, 1 to 9.
    public init(threshold: Int = 1024, level: Int = 6) {
        self.threshold = threshold
        self.level = level
    }
}

/// gzip or deflate of polling responses when the client accepts it (`Accept-Encoding`). On by
/// default, as in Node.
public struct EngineIOHTTPCompression: Sendable, Hashable {
    /// Responses smaller than this many bytes are sent uncompressed (Node's default: 1024).
    public var threshold: Int
    /// zlib's level, 1 to 9.
    public var level: Int

    /// - Parameters:
    ///   - threshold: The smallest response body, in bytes, that is compressed.
    ///   - level: zlib's compression level, 1 to 9.
    public init(threshold: Int = 1024, level: Int = 6) {
        self.threshold = threshold
        self.level = level
    }
}
