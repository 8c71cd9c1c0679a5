import MessagePack
import NIOCore
import SocketIO

/// Requests and responses between nodes: maps with a `type` and, for those awaiting answers, a
/// `requestId`. Node's adapter writes most of them as JSON and those that may hold binary as
/// MessagePack, and reads either (by the first byte, `{` for JSON); this one reads either and
/// writes MessagePack, so that binary arguments survive every request.
enum RedisAdapterMessage {
    /// The message as a map; nil for what is neither JSON nor MessagePack.
    static func decode(_ payload: ByteBuffer) -> MessagePackValue? {
        if payload.readableBytesView.first == UInt8(ascii: "{") {
            return (try? SocketIOValue(json: String(buffer: payload))).map(MessagePackValue.init)
        }
        return try? MessagePackValue(decoding: payload)
    }

    static func requestType(of message: MessagePackValue) -> RedisAdapterRequestType? {
        message["type"]?.intValue.flatMap(RedisAdapterRequestType.init(rawValue:))
    }

    /// The `opts` of a request: which sockets it is about.
    static func selection(of message: MessagePackValue) -> SocketIOBroadcastOptions? {
        message["opts"].flatMap(SocketIOBroadcastOptions.init(wireValue:))
    }

    /// The `rooms` of a join or leave request.
    static func rooms(of message: MessagePackValue) -> Set<String> {
        Set((message["rooms"]?.arrayValue ?? []).compactMap(\.stringValue))
    }
}
