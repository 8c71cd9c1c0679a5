public import EngineIO
public import Foundation
public import HTTPTypes
import NIOCore

/// What a socket presented when it connected: the CONNECT packet's auth object and the HTTP
/// request that opened its connection (Node's `socket.handshake`).
public struct SocketIOHandshake: Sendable {
    /// The `auth` option of the client (`{}` when it sent none).
    public let auth: SocketIOValue
    /// Headers, query, remote address and transport of the opening request.
    public let request: EngineIOConnectionRequest
    /// When the socket connected.
    public let time: Date

    /// Made by the server for each CONNECT; public for a cluster adapter rebuilding another
    /// node's socket snapshot, and for tests.
    public init(auth: SocketIOValue, request: EngineIOConnectionRequest, time: Date = Date()) {
        self.auth = auth
        self.request = request
        self.time = time
    }

    /// The opening request's headers.
    public var headers: HTTPFields { self.request.headers }

    /// The opening request's query parameters (`EIO`, `transport` and the client's `query` option).
    public var query: [String: String] { self.request.query }

    /// The client's IP address, when the transport has one (an in-process session has none).
    public var address: String? { self.request.remoteAddress?.ipAddress }

    /// The opening request's path and query, as Node's `handshake.url` (the query re-encoded,
    /// its parameters sorted).
    public var url: String {
        var components = URLComponents()
        components.path = self.request.path
        if !self.query.isEmpty {
            components.queryItems = self.query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        return components.string ?? self.request.path
    }

    /// `time` in milliseconds since 1970, as Node's `handshake.issued`.
    public var issued: Int64 { Int64((self.time.timeIntervalSince1970 * 1000).rounded()) }

    /// Whether the request came from another origin (it carried an `Origin` header), as Node's
    /// `handshake.xdomain`.
    public var crossDomain: Bool { self.request.headers[.origin] != nil }
}
