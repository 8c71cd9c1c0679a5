import NIOCore

/// The server under test: where its Engine.IO endpoint and webhook are.
public struct BenchTarget: Sendable {
    let host: String
    let port: Int
    let address: SocketAddress
    let webSocketPath: String
    /// The polling transport's handshake path (add `&sid=` for a session's requests).
    let pollingPath: String
    /// The URL's path, empty for a base URL (a webhook URL has one).
    let path: String

    /// - Parameter url: `http://host:port`, the server's base URL, or a URL on it.
    public init(url: String, socketPath: String = "/socket.io/") throws {
        guard url.hasPrefix("http://") else { throw BenchError.invalidURL(url) }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        self.path = String(rest.dropFirst(authority.count))
        let parts = authority.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw BenchError.invalidURL(url) }
        self.host = String(parts[0])
        self.port = port
        self.address = try SocketAddress.makeAddressResolvingHost(self.host, port: port)
        self.webSocketPath = "\(socketPath)?EIO=4&transport=websocket"
        self.pollingPath = "\(socketPath)?EIO=4&transport=polling"
    }

    var hostHeader: String { "\(self.host):\(self.port)" }
    var baseURL: String { "http://\(self.host):\(self.port)" }
}
