/// Why a test client's socket left its namespace, named as the official JavaScript client names
/// it (the reason its `disconnect` event carries), so a test reads like the browser code it
/// stands for.
///
/// A struct rather than an enum: a reason added later does not break a caller that switches.
public struct SocketIOTestDisconnectReason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The reason as the JavaScript client spells it, e.g. `io server disconnect`.
    public let rawValue: String

    /// A reason by its JavaScript spelling; use the static members for the ones this client reports.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The server let the socket go (`socket.disconnect()`): a DISCONNECT packet arrived for its
    /// namespace. The connection may still carry other namespaces.
    public static let ioServerDisconnect = SocketIOTestDisconnectReason(rawValue: "io server disconnect")
    /// The test disconnected the socket itself, with `SocketIOTestClient.disconnect()`.
    public static let ioClientDisconnect = SocketIOTestDisconnectReason(rawValue: "io client disconnect")
    /// The Engine.IO connection ended without a DISCONNECT for the namespace: the server closed
    /// it (`io.close()`, a timeout, a refused packet) or the test client's last socket left.
    public static let transportClose = SocketIOTestDisconnectReason(rawValue: "transport close")
    /// The server wrote something the client could not decode; the client closed the connection,
    /// as the official client does.
    public static let parseError = SocketIOTestDisconnectReason(rawValue: "parse error")

    /// The JavaScript spelling, as a test failure prints it.
    public var description: String { self.rawValue }
}
