import MessagePack
import NIOCore
import OrderedCollections
import SocketIO

/// A broadcast between nodes, as `@socket.io/redis-adapter` publishes it: the MessagePack array
/// `[senderUID, packet, options]`, where the packet is socket.io-parser's object
/// (`{type: 2, data: [event, …args], nsp: "/"}`, binary values in place) and the options
/// `{rooms: […], except: […], flags: {volatile, compress, …}}`.
///
/// Each receiving node encodes the packet for its own clients: the price of one format that
/// Node nodes and the `@socket.io/redis-emitter` also speak.
struct RedisBroadcastMessage: Sendable, Equatable {
    let senderID: String
    let packet: SocketIOPacket
    let options: SocketIOBroadcastOptions

    func encoded() -> ByteBuffer {
        MessagePackValue.array([.string(self.senderID), self.packet.wireValue, self.options.wireValue]).encoded()
    }

    /// Reads a message; nil for anything else published on the channel.
    init?(decoding payload: ByteBuffer) {
        guard case .array(let parts)? = try? MessagePackValue(decoding: payload), parts.count >= 3,
            let sender = parts[0].stringValue,
            let packet = SocketIOPacket(wireValue: parts[1]),
            let options = SocketIOBroadcastOptions(wireValue: parts[2])
        else { return nil }
        self.init(senderID: sender, packet: packet, options: options)
    }

    init(senderID: String, packet: SocketIOPacket, options: SocketIOBroadcastOptions) {
        self.senderID = senderID
        self.packet = packet
        self.options = options
    }
}
