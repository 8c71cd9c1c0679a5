public import NIOCore

/// One Engine.IO v4 packet, the unit both transports carry.
///
/// Text packets travel as a type digit followed by their data; a binary `message` travels as raw
/// bytes (a websocket binary frame, or `b` + base64 inside a polling payload).
public enum EngineIOPacket: Sendable, Hashable {
    /// Server → client handshake; the payload is the handshake JSON.
    case open(String)
    /// Either side ends the session.
    case close
    /// Heartbeat request; the payload is empty, or `probe` during an upgrade.
    case ping(String)
    /// Heartbeat answer, echoing the ping's payload (`probe` during an upgrade).
    case pong(String)
    /// Data for the layer above.
    case message(EngineIOMessage)
    /// Client → server on a probed websocket: switch the session to it.
    case upgrade
    /// Nothing; ends a pending poll during an upgrade.
    case noop

    /// The packet type digit as it appears on the wire.
    var typeDigit: UInt8 {
        switch self {
        case .open: UInt8(ascii: "0")
        case .close: UInt8(ascii: "1")
        case .ping: UInt8(ascii: "2")
        case .pong: UInt8(ascii: "3")
        case .message: UInt8(ascii: "4")
        case .upgrade: UInt8(ascii: "5")
        case .noop: UInt8(ascii: "6")
        }
    }
}

/// The payload of an Engine.IO `message` packet: what the layer above sends and receives.
public enum EngineIOMessage: Sendable, Hashable {
    /// A text message (a text websocket frame, or a plain polling record).
    case text(String)
    /// A binary message (a binary websocket frame, or a `b`-prefixed base64 polling record).
    case binary(ByteBuffer)
}
