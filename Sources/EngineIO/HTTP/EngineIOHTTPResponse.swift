public import HTTPTypes
public import NIOCore

/// An endpoint's complete answer to an `EngineIOHTTPRequest`, for the HTTP server to write.
public struct EngineIOHTTPResponse: Sendable {
    public var head: HTTPResponse
    public var body: ByteBuffer

    public init(head: HTTPResponse, body: ByteBuffer) {
        self.head = head
        self.body = body
    }
}
