import MessagePack
import NIOCore
import OrderedCollections
import SocketIO

/// One message of socket.io-adapter's cluster protocol: `{uid, nsp, type, data}`. Node's sharded
/// adapter writes it as JSON, or as MessagePack when its data holds binary, and reads either by
/// the first byte; this one does the same.
struct ClusterMessage: Sendable {
    let senderID: String
    let namespace: String
    let type: ClusterMessageType
    let data: OrderedDictionary<String, MessagePackValue>

    init(senderID: String, namespace: String, type: ClusterMessageType, data: OrderedDictionary<String, MessagePackValue> = [:]) {
        self.senderID = senderID
        self.namespace = namespace
        self.type = type
        self.data = data
    }

    /// Reads a message; nil for anything that is not one (logged by the caller).
    init?(decoding payload: ByteBuffer) {
        guard let message = RedisAdapterMessage.decode(payload),
            let senderID = message["uid"]?.stringValue,
            let namespace = message["nsp"]?.stringValue,
            let type = message["type"]?.intValue.flatMap(ClusterMessageType.init(rawValue:))
        else { return nil }
        guard case .map(let data)? = message["data"] else {
            self.init(senderID: senderID, namespace: namespace, type: type)
            return
        }
        self.init(senderID: senderID, namespace: namespace, type: type, data: data)
    }

    var requestID: String? { self.data["requestId"]?.stringValue }

    /// The selection of `data.opts`.
    var selection: SocketIOBroadcastOptions { self.data["opts"].flatMap(SocketIOBroadcastOptions.init(wireValue:)) ?? SocketIOBroadcastOptions() }

    func encoded() -> ByteBuffer {
        var members: OrderedDictionary<String, MessagePackValue> = ["uid": .string(self.senderID), "nsp": .string(self.namespace), "type": .int(self.type.rawValue)]
        if !self.data.isEmpty { members["data"] = .map(self.data) }
        let message = MessagePackValue.map(members)
        let value = SocketIOValue(message)
        return value.containsBinary ? message.encoded() : ByteBuffer(string: value.jsonString)
    }
}
