public import HTTPTypes
public import NIOCore

/// An HTTP request for an Engine.IO endpoint, as any HTTP server hands it over: the polling
/// transport, polling handshakes and CORS preflights all arrive as one of these.
///
/// The body is read only when the endpoint needs it (a polling `POST`), through `readBody`, so
/// an integration passes its own body stream without collecting it first.
public struct EngineIOHTTPRequest: Sendable {
    /// The request line and headers; the path carries the query (`transport`, `sid`, `EIO`).
    public var head: HTTPRequest
    /// The peer's address, for the admission policy and the session's handshake.
    public var remoteAddress: SocketAddress?
    /// Collects the body, refusing one over `maximumBytes` by throwing.
    public var readBody: @Sendable (_ maximumBytes: Int) async throws -> ByteBuffer

    /// - Parameters:
    ///   - head: The request line and headers, the query still in the path.
    ///   - remoteAddress: The peer's address, if the server knows it.
    ///   - readBody: Collects the request body, throwing when it exceeds the given number of bytes;
    ///     called at most once, and only for a polling `POST`.
    public init(
        head: HTTPRequest,
        remoteAddress: SocketAddress?,
        readBody: @escaping @Sendable (_ maximumBytes: Int) async throws -> ByteBuffer
    ) {
        self.head = head
        self.remoteAddress = remoteAddress
        self.readBody = readBody
    }
}
