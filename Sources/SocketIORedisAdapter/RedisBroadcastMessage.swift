import EngineIO
import NIOCore
import SocketIO

/// A broadcast as it travels between nodes: who sent it, which sockets it is for, and the
/// already-encoded Engine.IO frames, so receiving nodes deliver without encoding again.
///
/// Binary layout (all lengths big-endian UInt32): magic `PNB1`, sender id, namespace, rooms,
/// except-rooms (each a count then length-prefixed strings), then the frames (a count, then per
/// frame a kind byte `t`/`b` and length-prefixed bytes). Binary attachments survive as they are.
struct RedisBroadcastMessage: Sendable, Equatable {
    static let magic: UInt32 = 0x504E_4231  // "PNB1"

    let senderID: String
    let namespace: String
    let options: SocketIOBroadcastOptions
    let frames: [EngineIOFrame]

    func encoded() -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 64 + self.frames.reduce(0) { $0 + $1.byteCount + 5 })
        buffer.writeInteger(Self.magic)
        Self.writeString(self.senderID, into: &buffer)
        Self.writeString(self.namespace, into: &buffer)
        Self.writeStrings(self.options.rooms.sorted(), into: &buffer)
        Self.writeStrings(self.options.exceptRooms.sorted(), into: &buffer)
        buffer.writeInteger(UInt32(self.frames.count))
        for frame in self.frames {
            switch frame {
            case .text(let bytes):
                buffer.writeInteger(UInt8(ascii: "t"))
                buffer.writeInteger(UInt32(bytes.readableBytes))
                buffer.writeImmutableBuffer(bytes)
            case .binary(let bytes):
                buffer.writeInteger(UInt8(ascii: "b"))
                buffer.writeInteger(UInt32(bytes.readableBytes))
                buffer.writeImmutableBuffer(bytes)
            }
        }
        return buffer
    }

    /// Reads a message; nil for anything malformed (another program on the channel, say).
    init?(decoding payload: ByteBuffer) {
        var buffer = payload
        guard buffer.readInteger(as: UInt32.self) == Self.magic,
            let sender = Self.readString(&buffer),
            let namespace = Self.readString(&buffer),
            let rooms = Self.readStrings(&buffer),
            let except = Self.readStrings(&buffer),
            let frameCount = buffer.readInteger(as: UInt32.self), frameCount >= 1, frameCount <= 10_000
        else { return nil }
        var frames: [EngineIOFrame] = []
        for _ in 0..<frameCount {
            guard let kind = buffer.readInteger(as: UInt8.self), let length = buffer.readInteger(as: UInt32.self),
                let bytes = buffer.readSlice(length: Int(length))
            else { return nil }
            switch kind {
            case UInt8(ascii: "t"): frames.append(.text(bytes))
            case UInt8(ascii: "b"): frames.append(.binary(bytes))
            default: return nil
            }
        }
        guard buffer.readableBytes == 0 else { return nil }
        self.init(senderID: sender, namespace: namespace, options: SocketIOBroadcastOptions(rooms: Set(rooms), exceptRooms: Set(except)), frames: frames)
    }

    init(senderID: String, namespace: String, options: SocketIOBroadcastOptions, frames: [EngineIOFrame]) {
        self.senderID = senderID
        self.namespace = namespace
        self.options = options
        self.frames = frames
    }

    private static func writeString(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(string.utf8.count))
        buffer.writeString(string)
    }

    private static func writeStrings(_ strings: [String], into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(strings.count))
        for string in strings { Self.writeString(string, into: &buffer) }
    }

    private static func readString(_ buffer: inout ByteBuffer) -> String? {
        guard let length = buffer.readInteger(as: UInt32.self), let string = buffer.readString(length: Int(length)) else { return nil }
        return string
    }

    private static func readStrings(_ buffer: inout ByteBuffer) -> [String]? {
        guard let count = buffer.readInteger(as: UInt32.self), count <= 100_000 else { return nil }
        var strings: [String] = []
        for _ in 0..<count {
            guard let string = Self.readString(&buffer) else { return nil }
            strings.append(string)
        }
        return strings
    }
}
