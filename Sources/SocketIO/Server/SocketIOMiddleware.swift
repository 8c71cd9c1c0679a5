import OrderedCollections

/// What connection middleware sees and may add to, before a socket exists.
public struct SocketIOConnectionContext: Sendable {
    /// The name of the namespace the client asked to join (`/tenant-42` in a dynamic group).
    public let namespace: String
    /// The CONNECT packet's `auth` and the opening HTTP request: what to decide on.
    public let handshake: SocketIOHandshake
    /// Values the socket will carry once connected.
    public var attributes = SocketIOAttributes()

    init(namespace: String, handshake: SocketIOHandshake) {
        self.namespace = namespace
        self.handshake = handshake
    }
}

/// Runs before a socket joins its namespace; throwing refuses the connection. Throw a
/// `SocketIOConnectError` to choose what the client's `connect_error` says; any other error is
/// logged and reported to the client only as "Server error", so internals do not leak.
public typealias SocketIOMiddleware = @Sendable (inout SocketIOConnectionContext) async throws -> Void

/// A refusal to connect, delivered to the client as `connect_error` with this message and data.
public struct SocketIOConnectError: Error, Sendable, Hashable {
    /// The client's `err.message`. Sent as is: say nothing the client should not know.
    public let message: String
    /// The client's `err.data`, when set.
    public let data: SocketIOValue?

    /// A refusal the client receives as `connect_error`.
    ///
    /// - Parameters:
    ///   - message: What the client's `connect_error` handler reads as `err.message`.
    ///   - data: Details for the client, `err.data` (a reason code, a retry delay).
    public init(_ message: String, data: SocketIOValue? = nil) {
        self.message = message
        self.data = data
    }

    /// The CONNECT_ERROR payload: `{"message":…,"data":…}`.
    var payload: SocketIOValue {
        var members: SocketIOValue = ["message": .string(self.message)]
        if let data, case .object(var object) = members {
            object["data"] = data
            members = .object(object)
        }
        return members
    }
}
