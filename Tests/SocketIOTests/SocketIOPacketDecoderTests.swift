import EngineIO
import NIOCore
import Testing

@testable import SocketIO

@Suite("Socket.IO packet decoder")
struct SocketIOPacketDecoderTests {
    static let textCases: [(text: String, packet: SocketIOPacket)] = [
        ("0", SocketIOPacket(kind: .connect)),
        (#"0{"token":"abc"}"#, SocketIOPacket(kind: .connect, payload: ["token": "abc"])),
        ("0/admin,", SocketIOPacket(kind: .connect, namespace: "/admin")),
        (#"0/admin,{"sid":"x"}"#, SocketIOPacket(kind: .connect, namespace: "/admin", payload: ["sid": "x"])),
        ("1", SocketIOPacket(kind: .disconnect)),
        ("1/admin,", SocketIOPacket(kind: .disconnect, namespace: "/admin")),
        (#"2["hello",1]"#, .event("hello", [1])),
        (#"2/admin,13["hello"]"#, .event("hello", [], namespace: "/admin", ackID: 13)),
        (#"2["subscribe_booking",{"bookingId":"b-1"}]"#, .event("subscribe_booking", [["bookingId": "b-1"]])),
        (#"20["x"]"#, .event("x", [], ackID: 0)),
        (#"2123456789012345["x"]"#, .event("x", [], ackID: 123_456_789_012_345)),
        (#"2["héllo","✓"]"#, .event("héllo", ["✓"])),
        (#"313[{"ok":true}]"#, SocketIOPacket(kind: .ack, ackID: 13, payload: [["ok": true]])),
        ("3/admin,1[]", SocketIOPacket(kind: .ack, namespace: "/admin", ackID: 1, payload: [])),
        (#"4{"message":"Not authorized"}"#, SocketIOPacket(kind: .connectError, payload: ["message": "Not authorized"])),
        (#"4"Not authorized""#, SocketIOPacket(kind: .connectError, payload: "Not authorized")),
        (
            #"4/ns,{"message":"Invalid namespace"}"#,
            SocketIOPacket(kind: .connectError, namespace: "/ns", payload: ["message": "Invalid namespace"])
        ),
    ]

    @Test("Decodes text packets", arguments: textCases)
    func decodesTextPacket(text: String, packet: SocketIOPacket) throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(.text(text)) == packet)
    }

    @Test("Decoding what the encoder wrote gives back the packet", arguments: textCases.map(\.packet) + [
        .event("upload", [.binary(bytes([1, 2, 3]))]),
        SocketIOPacket(kind: .ack, namespace: "/admin", ackID: 12, payload: [.binary(bytes([0xFF]))]),
        .event("files", [["a": .binary(bytes([1])), "b": [.binary(bytes([2, 2]))]], .binary(bytes([]))], ackID: 5),
    ])
    func roundTrip(packet: SocketIOPacket) throws {
        var decoder = SocketIOPacketDecoder()
        let messages = packet.encoded().messages
        for message in messages.dropLast() {
            #expect(try decoder.decode(message) == nil)
        }
        #expect(try decoder.decode(messages.last!) == packet)
    }

    @Test("A namespace without a trailing comma runs to the end of the packet")
    func namespaceWithoutComma() throws {
        var decoder = SocketIOPacketDecoder()
        let packet = try decoder.decode(.text("0/random"))
        #expect(packet == SocketIOPacket(kind: .connect, namespace: "/random"))
    }

    @Test("A binary event with one attachment")
    func binaryEventWithOneAttachment() throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(.text(#"51-["upload",{"_placeholder":true,"num":0}]"#)) == nil)
        let packet = try decoder.decode(.binary(bytes([1, 2, 3, 4])))
        #expect(packet == .event("upload", [.binary(bytes([1, 2, 3, 4]))]))
    }

    @Test("A binary event waits for all its attachments, then has them in place")
    func binaryEventWithTwoAttachments() throws {
        var decoder = SocketIOPacketDecoder()
        let text = #"52-/admin,7["upload",{"name":"a.png","data":{"_placeholder":true,"num":1}},[{"_placeholder":true,"num":0}]]"#
        #expect(try decoder.decode(.text(text)) == nil)
        #expect(try decoder.decode(.binary(bytes([0xAA]))) == nil)
        let packet = try decoder.decode(.binary(bytes([0xBB, 0xBB])))
        let expected = SocketIOPacket.event(
            "upload",
            [["name": "a.png", "data": .binary(bytes([0xBB, 0xBB]))], [.binary(bytes([0xAA]))]],
            namespace: "/admin",
            ackID: 7
        )
        #expect(packet == expected)
        #expect(packet?.payload?.containsBinary == true)
    }

    @Test("A binary ack with its attachment")
    func binaryAck() throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(.text(#"61-/admin,12[{"_placeholder":true,"num":0}]"#)) == nil)
        let packet = try decoder.decode(.binary(bytes([9])))
        #expect(packet == SocketIOPacket(kind: .ack, namespace: "/admin", ackID: 12, payload: [.binary(bytes([9]))]))
    }

    @Test("A binary packet announcing no attachments is complete at once")
    func binaryPacketWithoutAttachments() throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(.text(#"50-["x"]"#)) == .event("x", []))
        #expect(try decoder.decode(.text(#"2["y"]"#)) == .event("y", []))
    }

    @Test("After a binary packet completes, the decoder takes new packets")
    func decoderResetsAfterBinaryPacket() throws {
        var decoder = SocketIOPacketDecoder()
        _ = try decoder.decode(.text(#"51-["a",{"_placeholder":true,"num":0}]"#))
        _ = try decoder.decode(.binary(bytes([1])))
        #expect(try decoder.decode(.text(#"2["b"]"#)) == .event("b", []))
        #expect(throws: SocketIOPacketDecodingError(.unexpectedBinary)) {
            try decoder.decode(.binary(bytes([2])))
        }
    }

    @Test("Placeholders in a packet without attachments stay plain objects")
    func placeholderWithoutAttachments() throws {
        var decoder = SocketIOPacketDecoder()
        let packet = try decoder.decode(.text(#"2["x",{"_placeholder":true,"num":0}]"#))
        #expect(packet == .event("x", [["_placeholder": true, "num": 0]]))
    }

    // MARK: Malformed packets

    static func decodingError(_ text: String, decoder: SocketIOPacketDecoder = SocketIOPacketDecoder()) -> SocketIOPacketDecodingError? {
        var decoder = decoder
        return #expect(throws: SocketIOPacketDecodingError.self) {
            try decoder.decode(.text(text))
        }
    }

    @Test("An empty packet is rejected")
    func rejectsEmpty() {
        #expect(Self.decodingError("")?.reason == .empty)
    }

    @Test("An unknown packet type is rejected", arguments: [("abc", Character("a")), ("7", "7"), ("9[]", "9"), ("/admin,", "/"), ("[\"x\"]", "[")])
    func rejectsUnknownType(text: String, type: Character) {
        #expect(Self.decodingError(text)?.reason == .unknownPacketType(type))
    }

    @Test("Payloads that break the rules of their packet type are rejected", arguments: [
        #"2{}"#,  // event payload not an array
        #"2"hello""#,  // event payload not an array
        #"2[]"#,  // event without a name
        #"2[1]"#,  // event name not a string
        #"2[null,"x"]"#,  // event name not a string
        "2",  // event without payload
        "2/admin,",  // event without payload
        #"2["connect"]"#,
        #"2["connect_error"]"#,
        #"2["disconnect"]"#,
        #"2["disconnecting"]"#,
        #"2["newListener"]"#,
        #"2["removeListener"]"#,
        #"1{}"#,  // disconnect with payload
        #"1/admin,[]"#,  // disconnect with payload
        #"0[]"#,  // connect payload not an object
        #"0"token""#,  // connect payload not an object
        #"3[1]"#,  // ack without id
        "31",  // ack without payload
        #"31{}"#,  // ack payload not an array
        "4",  // connect error without payload
        "4[1]",  // connect error payload neither object nor string
        #"51-{"_placeholder":true,"num":0}"#,  // binary event payload not an array
    ])
    func rejectsInvalidPayload(text: String) {
        let error = Self.decodingError(text)
        guard case .invalidPayload? = error?.reason.code else {
            Issue.record("expected an invalid payload error for \(text), got \(String(describing: error))")
            return
        }
    }

    @Test("Text that is not JSON where the payload belongs is rejected", arguments: [
        #"2abc["x"]"#,  // not an ack id, so the start of invalid JSON
        #"2["x""#,
        #"2["x"]]"#,
        #"0{"#,
        "0/admin,{",
        #"2/admin,1["x",]"#,
    ])
    func rejectsInvalidJSON(text: String) {
        let error = Self.decodingError(text)
        guard case .invalidJSON? = error?.reason.code else {
            Issue.record("expected an invalid JSON error for \(text), got \(String(describing: error))")
            return
        }
    }

    @Test("An ack id longer than 15 digits is rejected")
    func rejectsLongAckID() {
        #expect(Self.decodingError(#"21234567890123456["x"]"#)?.reason == .invalidAckID)
        #expect(Self.decodingError(#"399999999999999999999999[]"#)?.reason == .invalidAckID)
    }

    @Test("A binary packet needs a valid attachment count", arguments: [
        #"5-["upload",{"_placeholder":true,"num":0}]"#,
        #"5x-["upload",{"_placeholder":true,"num":0}]"#,
        #"51["upload",{"_placeholder":true,"num":0}]"#,
        "51",
        "5",
        #"6-12[{"_placeholder":true,"num":0}]"#,
        #"599999999999999999999999-["x"]"#,
    ])
    func rejectsInvalidAttachmentCount(text: String) {
        #expect(Self.decodingError(text)?.reason == .invalidAttachmentCount)
    }

    @Test("A binary packet may not announce more attachments than the maximum")
    func rejectsTooManyAttachments() {
        #expect(SocketIOPacketDecoder().maximumAttachments == 1000)
        #expect(Self.decodingError(#"51001-["x"]"#)?.reason == .tooManyAttachments(limit: 1000))
        let small = SocketIOPacketDecoder(maximumAttachments: 2)
        #expect(Self.decodingError(#"53-["x"]"#, decoder: small)?.reason == .tooManyAttachments(limit: 2))
    }

    @Test("The maximum number of attachments itself is accepted")
    func acceptsMaximumAttachments() throws {
        var decoder = SocketIOPacketDecoder(maximumAttachments: 2)
        #expect(try decoder.decode(.text(#"52-["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#)) == nil)
        #expect(try decoder.decode(.binary(bytes([1]))) == nil)
        #expect(try decoder.decode(.binary(bytes([2]))) == .event("x", [.binary(bytes([1])), .binary(bytes([2]))]))
    }

    @Test("A binary message with no binary packet pending is rejected")
    func rejectsUnexpectedBinary() {
        var decoder = SocketIOPacketDecoder()
        #expect(throws: SocketIOPacketDecodingError(.unexpectedBinary)) {
            try decoder.decode(.binary(bytes([1, 2, 3])))
        }
    }

    @Test("A text message while attachments are due is rejected")
    func rejectsTextWhileAttachmentsPending() throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(.text(#"52-["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#)) == nil)
        #expect(try decoder.decode(.binary(bytes([1]))) == nil)
        #expect(throws: SocketIOPacketDecodingError(.unexpectedText)) {
            try decoder.decode(.text(#"2["hello"]"#))
        }
    }

    @Test("A placeholder that names no attachment is rejected", arguments: [
        #"51-["upload",{"_placeholder":true,"num":1}]"#,
        #"51-["upload",{"_placeholder":true,"num":-1}]"#,
        #"51-["upload",{"_placeholder":true,"num":"0"}]"#,
        #"51-["upload",{"_placeholder":true,"num":0.5}]"#,
        #"51-["upload",{"_placeholder":true}]"#,
    ])
    func rejectsPlaceholderOutOfRange(text: String) throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(.text(text)) == nil)
        #expect(throws: SocketIOPacketDecodingError(.invalidPlaceholder)) {
            try decoder.decode(.binary(bytes([1])))
        }
    }
}

@Suite("Attachment limits")
struct AttachmentLimitTests {
    @Test("Attachments over the byte budget of one packet are refused")
    func attachmentBytes() throws {
        var decoder = SocketIOPacketDecoder(maximumAttachments: 3, maximumAttachmentBytes: 10)
        #expect(try decoder.decode(.text(#"53-["f",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},{"_placeholder":true,"num":2}]"#)) == nil)
        #expect(try decoder.decode(.binary(ByteBuffer(repeating: 1, count: 6))) == nil)
        #expect(throws: SocketIOPacketDecodingError(.attachmentsTooLarge(limit: 10))) {
            try decoder.decode(.binary(ByteBuffer(repeating: 2, count: 6)))
        }
    }
}
