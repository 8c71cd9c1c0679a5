import EngineIO
import Foundation

/// What a socket presented when it connected: the CONNECT packet's auth object and the HTTP
/// request that opened its connection.
public struct SocketIOHandshake: Sendable {
    /// The `auth` option of the client (`{}` when it sent none).
    public let auth: SocketIOValue
    /// Headers, query, remote address and transport of the opening request.
    public let request: EngineIOConnectionRequest
    public let time: Date

    public init(auth: SocketIOValue, request: EngineIOConnectionRequest, time: Date = Date()) {
        self.auth = auth
        self.request = request
        self.time = time
    }
}
