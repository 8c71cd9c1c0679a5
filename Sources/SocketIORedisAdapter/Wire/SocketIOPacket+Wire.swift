import MessagePack
import OrderedCollections
import SocketIO

/// Packets and broadcast options as both Redis protocols carry them between nodes, the shapes
/// of Node's socket.io-parser packet object and socket.io-adapter's `BroadcastOptions`.
extension SocketIOPacket {
    /// socket.io-parser's packet object. Events are type 2 whatever they hold, as Node's
    /// broadcasts are: the receiving node's encoder makes them BINARY_EVENT when they carry bytes.
    var wireValue: MessagePackValue {
        let type: Int
        switch self.kind {
        case .connect: type = 0
        case .disconnect: type = 1
        case .event: type = 2
        case .ack: type = 3
        case .connectError: type = 4
        }
        var members: OrderedDictionary<String, MessagePackValue> = ["type": .int(type)]
        if let payload = self.payload { members["data"] = MessagePackValue(payload) }
        members["nsp"] = .string(self.namespace)
        if let ackID = self.ackID { members["id"] = .int(ackID) }
        return .map(members)
    }

    /// An event or acknowledgement from its packet object (binary types 5 and 6 too); nil for
    /// any other. A packet without `nsp` is for `/`, as Node reads it.
    init?(wireValue: MessagePackValue) {
        guard let type = wireValue["type"]?.intValue else { return nil }
        let kind: Kind
        switch type {
        case 2, 5: kind = .event
        case 3, 6: kind = .ack
        default: return nil
        }
        guard case .array = wireValue["data"] else { return nil }
        self.init(
            kind: kind,
            namespace: wireValue["nsp"]?.stringValue ?? "/",
            ackID: wireValue["id"]?.intValue,
            payload: wireValue["data"].map(SocketIOValue.init)
        )
    }
}

extension SocketIOBroadcastOptions {
    /// `{rooms, except, flags}`; only the flags that differ from the defaults are written.
    var wireValue: MessagePackValue {
        var flags: [(String, MessagePackValue)] = []
        if self.volatile { flags.append(("volatile", .bool(true))) }
        if !self.compress { flags.append(("compress", .bool(false))) }
        return .map([
            "rooms": .array(self.rooms.sorted().map(MessagePackValue.string)),
            "except": .array(self.exceptRooms.sorted().map(MessagePackValue.string)),
            "flags": .map(.init(uniqueKeysWithValues: flags)),
        ])
    }

    /// The selection of a message's `opts`; missing lists select every socket. Rooms that are
    /// numbers (Node allows them) are read as their text.
    init?(wireValue: MessagePackValue) {
        guard case .map = wireValue else { return nil }
        func rooms(_ key: String) -> Set<String> {
            Set((wireValue[key]?.arrayValue ?? []).compactMap { room in
                switch room {
                case .string(let name): name
                case .int(let number): String(number)
                default: nil
                }
            })
        }
        let flags = wireValue["flags"]
        self.init(
            rooms: rooms("rooms"),
            exceptRooms: rooms("except"),
            volatile: flags?["volatile"]?.boolValue ?? false,
            compress: flags?["compress"]?.boolValue ?? true
        )
    }
}
