import NIOCore

/// The server under test: where its Engine.IO endpoint and webhook are.
public struct BenchTarget: Sendable {
    let host: String
    let port: Int
    let address: SocketAddress
    let webSocketPath: String

    /// - Parameter url: `http://host:port`, the server's base URL.
    public init(url: String, socketPath: String = "/socket.io/") throws {
        guard url.hasPrefix("http://") else { throw BenchError.invalidURL(url) }
        let authority = url.dropFirst("http://".count).prefix { $0 != "/" }
        let parts = authority.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw BenchError.invalidURL(url) }
        self.host = String(parts[0])
        self.port = port
        self.address = try SocketAddress.makeAddressResolvingHost(self.host, port: port)
        self.webSocketPath = "\(socketPath)?EIO=4&transport=websocket"
    }

    var hostHeader: String { "\(self.host):\(self.port)" }
    var baseURL: String { "http://\(self.host):\(self.port)" }
}
