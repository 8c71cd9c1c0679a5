import OrderedCollections

/// What connection middleware sees and may add to, before a socket exists.
public struct SocketIOConnectionContext: Sendable {
    public let namespace: String
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
    public let message: String
    public let data: SocketIOValue?

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
