import EngineIO
import NIOCore
import Testing

@testable import SocketIO

@Suite("Socket.IO packet encoding")
struct SocketIOPacketEncodingTests {
    static let textCases: [(packet: SocketIOPacket, text: String)] = [
        (SocketIOPacket(kind: .connect), "0"),
        (SocketIOPacket(kind: .connect, payload: ["sid": "x"]), #"0{"sid":"x"}"#),
        (SocketIOPacket(kind: .connect, namespace: "/admin"), "0/admin,"),
        (SocketIOPacket(kind: .connect, namespace: "/admin", payload: ["sid": "x"]), #"0/admin,{"sid":"x"}"#),
        (SocketIOPacket(kind: .disconnect), "1"),
        (SocketIOPacket(kind: .disconnect, namespace: "/admin"), "1/admin,"),
        (.event("hello", [1]), #"2["hello",1]"#),
        (.event("hello", [], namespace: "/admin", ackID: 13), #"2/admin,13["hello"]"#),
        (.event("subscribe_booking", [["bookingId": "b-1"]]), #"2["subscribe_booking",{"bookingId":"b-1"}]"#),
        (.event("x", [], ackID: 0), #"20["x"]"#),
        (.event("héllo", ["✓"]), #"2["héllo","✓"]"#),
        (SocketIOPacket(kind: .ack, ackID: 13, payload: [["ok": true]]), #"313[{"ok":true}]"#),
        (SocketIOPacket(kind: .ack, namespace: "/admin", ackID: 1, payload: []), "3/admin,1[]"),
        (SocketIOPacket(kind: .connectError, payload: ["message": "Not authorized"]), #"4{"message":"Not authorized"}"#),
        (
            SocketIOPacket(kind: .connectError, namespace: "/ns", payload: ["message": "Invalid namespace"]),
            #"4/ns,{"message":"Invalid namespace"}"#
        ),
        (
            SocketIOPacket(kind: .connectError, payload: ["message": "Not authorized", "data": ["reason": "expired"]]),
            #"4{"message":"Not authorized","data":{"reason":"expired"}}"#
        ),
    ]

    @Test("Text packets", arguments: textCases)
    func encodesTextPacket(packet: SocketIOPacket, text: String) {
        let encoded = packet.encoded()
        #expect(encoded.text == text)
        #expect(encoded.attachments.isEmpty)
        #expect(encoded.frames == [.text(ByteBuffer(string: "4" + text))])
    }

    @Test("A binary event is a BINARY_EVENT with one attachment")
    func encodesBinaryEvent() {
        let file = bytes([1, 2, 3])
        let encoded = SocketIOPacket.event("upload", [.binary(file)]).encoded()
        #expect(encoded.text == #"51-["upload",{"_placeholder":true,"num":0}]"#)
        #expect(encoded.attachments == [file])
        #expect(encoded.frames == [.text(ByteBuffer(string: "4" + encoded.text)), .binary(file)])
    }

    @Test("A binary ack is a BINARY_ACK, with namespace and ack id")
    func encodesBinaryAck() {
        let file = bytes([0xFF])
        let encoded = SocketIOPacket(kind: .ack, namespace: "/admin", ackID: 12, payload: [.binary(file)]).encoded()
        #expect(encoded.text == #"61-/admin,12[{"_placeholder":true,"num":0}]"#)
        #expect(encoded.attachments == [file])
    }

    @Test("Several binaries are numbered in payload order, nested ones included")
    func encodesSeveralAttachments() {
        let first = bytes([1])
        let second = bytes([2, 2])
        let third = bytes([])
        let packet = SocketIOPacket.event("files", [["a": .binary(first), "b": [.binary(second)]], .binary(third)], ackID: 5)
        let encoded = packet.encoded()
        #expect(
            encoded.text
                == #"53-5["files",{"a":{"_placeholder":true,"num":0},"b":[{"_placeholder":true,"num":1}]},{"_placeholder":true,"num":2}]"#
        )
        #expect(encoded.attachments == [first, second, third])
        #expect(encoded.frames.count == 4)
    }

    @Test("Every packet's first frame is an Engine.IO message (type digit 4)", arguments: textCases.map(\.packet) + [
        .event("upload", [.binary(bytes([1]))]),
        SocketIOPacket(kind: .ack, namespace: "/admin", ackID: 12, payload: [.binary(bytes([1]))]),
    ])
    func firstFrameIsEngineIOMessage(packet: SocketIOPacket) throws {
        let frames = packet.encoded().frames
        guard case .text(let first)? = frames.first else {
            Issue.record("the first frame is not a text frame")
            return
        }
        #expect(first.getInteger(at: first.readerIndex, as: UInt8.self) == UInt8(ascii: "4"))
        #expect(try EngineIOPacket(decoding: String(buffer: first)) == .message(.text(packet.encoded().text)))
        let attachmentsAreBinary = frames.dropFirst().allSatisfy { frame in
            if case .binary = frame { true } else { false }
        }
        #expect(attachmentsAreBinary)
    }

    @Test("eventNameAndArguments splits an event payload")
    func eventNameAndArguments() {
        let packet = SocketIOPacket.event("hello", [1, "two"])
        #expect(packet.eventNameAndArguments?.name == "hello")
        #expect(packet.eventNameAndArguments?.arguments == [1, "two"])
        #expect(SocketIOPacket(kind: .ack, ackID: 1, payload: ["hello"]).eventNameAndArguments == nil)
    }
}
