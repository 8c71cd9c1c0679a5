/// One Socket.IO v5 packet.
///
/// Binary-ness is not a kind of its own here: an `event` or `ack` whose payload holds binary
/// values is sent as BINARY_EVENT / BINARY_ACK with attachments, and decoded back into the same
/// `event` / `ack` with the binary values in place.
public struct SocketIOPacket: Sendable, Hashable {
    /// The packet's type; the protocol's five, binary ones folded into `event` and `ack`.
    public enum Kind: Sendable, Hashable {
        /// CONNECT: a client asking to join a namespace, or the server's answer (`{"sid":…}`).
        case connect
        /// DISCONNECT: either side leaving a namespace.
        case disconnect
        /// EVENT or BINARY_EVENT: `[name, arguments…]`.
        case event
        /// ACK or BINARY_ACK: the answer to an event that had an ack id.
        case ack
        /// CONNECT_ERROR: the server refusing a CONNECT.
        case connectError
    }

    /// The packet's type.
    public var kind: Kind
    /// The namespace, `/` for the main one.
    public var namespace: String
    /// Set on an event that wants an acknowledgement, and on the `ack` answering it.
    public var ackID: Int?
    /// The JSON after the header (binary values in place); nil when there is none.
    public var payload: SocketIOValue?

    /// A packet of any type; see `event(_:_:namespace:ackID:)` for events.
    public init(kind: Kind, namespace: String = "/", ackID: Int? = nil, payload: SocketIOValue? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.ackID = ackID
        self.payload = payload
    }

    /// An event packet: `[name, arguments…]`.
    public static func event(_ name: String, _ arguments: [SocketIOValue], namespace: String = "/", ackID: Int? = nil) -> SocketIOPacket {
        SocketIOPacket(kind: .event, namespace: namespace, ackID: ackID, payload: .array([.string(name)] + arguments))
    }

    /// An acknowledgement packet: the answer to event `id`, its payload `arguments`.
    package static func ack(_ id: Int, _ arguments: [SocketIOValue], namespace: String = "/") -> SocketIOPacket {
        SocketIOPacket(kind: .ack, namespace: namespace, ackID: id, payload: .array(arguments))
    }

    /// Event names a client may not emit: the client library uses them for its own events.
    public static let reservedEventNames: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// For an event packet, its name and arguments.
    public var eventNameAndArguments: (name: String, arguments: [SocketIOValue])? {
        guard self.kind == .event, case .array(let elements)? = self.payload,
            case .string(let name)? = elements.first
        else { return nil }
        return (name, Array(elements.dropFirst()))
    }
}
