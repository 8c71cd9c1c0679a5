public import HTTPTypes
public import NIOCore

/// An endpoint's complete answer to an `EngineIOHTTPRequest`, for the HTTP server to write.
///
/// Always complete: a long-poll waits inside `respond(to:)`, not in a streamed body, so any
/// server writes it as one response. The integration adds `Content-Length` and connection
/// handling as its framework requires.
public struct EngineIOHTTPResponse: Sendable {
    /// Status and headers (content type, CORS).
    public var head: HTTPResponse
    /// The whole body: a polling payload, `ok` for a POST, or a protocol error's JSON.
    public var body: ByteBuffer

    /// - Parameters:
    ///   - head: Status and headers.
    ///   - body: The whole body.
    public init(head: HTTPResponse, body: ByteBuffer) {
        self.head = head
        self.body = body
    }
}
