import MessagePack
import NIOCore
import OrderedCollections
import Testing

/// Bytes that notepack.io 3 writes for each value (printed by `notepack.encode(value)`), so that
/// this codec and Node's agree byte for byte, both ways.
@Suite struct MessagePackCodecTests {
    static let notepackVectors: [(MessagePackValue, String)] = [
        (.null, "c0"), (.undefined, "d40000"), (.bool(true), "c3"), (.bool(false), "c2"),
        (.int(0), "00"), (.int(127), "7f"), (.int(128), "cc80"), (.int(255), "ccff"), (.int(256), "cd0100"),
        (.int(65536), "ce00010000"), (.int(4_294_967_296), "cf0000000100000000"),
        (.int(-1), "ff"), (.int(-32), "e0"), (.int(-33), "d0df"), (.int(-128), "d080"), (.int(-129), "d1ff7f"),
        (.int(-32769), "d2ffff7fff"), (.double(1.5), "cb3ff8000000000000"), (.string("a"), "a161"),
        (.string(String(repeating: "x", count: 32)), "d920" + String(repeating: "78", count: 32)),
        (.string("é€😀"), "a9c3a9e282acf09f9880"), (.binary(ByteBuffer(bytes: [1, 2, 3])), "c403010203"),
        (.array([.int(1), .string("a"), .null]), "9301a161c0"),
        (.map(["a": .int(1), "b": .array([.bool(true)])]), "82a16101a16291c3"),
        (.date(millisecondsSince1970: 1_764_670_000_123), "d7000000019ade874bfb"),
    ]

    @Test(arguments: Self.notepackVectors.indices)
    func encodesAsNotepackDoes(_ index: Int) {
        let (value, hex) = Self.notepackVectors[index]
        #expect(Self.hex(value.encoded()) == hex)
    }

    @Test(arguments: Self.notepackVectors.indices)
    func decodesWhatNotepackWrites(_ index: Int) throws {
        let (value, hex) = Self.notepackVectors[index]
        #expect(try MessagePackValue(decoding: Self.bytes(hex)) == value)
    }

    @Test func anArrayBufferReadsAsBinary() throws {
        // notepack writes an ArrayBuffer as ext 8 of type 0
        #expect(try MessagePackValue(decoding: Self.bytes("c702000708")) == .binary(ByteBuffer(bytes: [7, 8])))
    }

    @Test func aRedisAdapterBroadcastReadsWhole() throws {
        let message = "93a7656d697474657283a47479706502a46461746193a2657601c401ffa36e7370a12f83a5726f6f6d7391a172a5666c61677380a665786365707490"
        let value = try MessagePackValue(decoding: Self.bytes(message))
        #expect(value == .array([
            .string("emitter"),
            .map(["type": .int(2), "data": .array([.string("ev"), .int(1), .binary(ByteBuffer(bytes: [0xff]))]), "nsp": .string("/")]),
            .map(["rooms": .array([.string("r")]), "flags": .map([:]), "except": .array([])]),
        ]))
        #expect(Self.hex(value.encoded()) == message)
    }

    @Test func formatsNotepackDoesNotWriteStillRead() throws {
        #expect(try MessagePackValue(decoding: Self.bytes("ca3fc00000")) == .double(1.5))
        #expect(try MessagePackValue(decoding: Self.bytes("dc0001c3")) == .array([.bool(true)]))
        #expect(try MessagePackValue(decoding: Self.bytes("d502aabb")) == .extension(type: 2, data: ByteBuffer(bytes: [0xaa, 0xbb])))
        #expect(try MessagePackValue(decoding: Self.bytes("cfffffffffffffffff")) == .double(18_446_744_073_709_551_615))
    }

    @Test func malformedInputIsRefusedWithItsOffset() {
        let cases: [(String, MessagePackDecodingError.Reason, Int)] = [
            ("", .truncated, 0),
            ("c1", .unknownFormat(0xc1), 0),
            ("92c3", .truncated, 1),
            ("a3616263ff", .trailingBytes(1), 4),
            ("a2c328", .invalidUTF8, 1),
            ("8101c3", .nonStringKey, 1),
            ("ddffffffff", .truncated, 5),
            ("c6ffffffff00", .truncated, 5),
        ]
        for (hex, reason, offset) in cases {
            #expect(throws: MessagePackDecodingError(reason: reason, offset: offset), "\(hex)") {
                try MessagePackValue(decoding: Self.bytes(hex))
            }
        }
    }

    @Test func nestingIsBounded() {
        let deep = ByteBuffer(bytes: [UInt8](repeating: 0x91, count: 100) + [0xc0])
        #expect(throws: MessagePackDecodingError.self) { try MessagePackValue(decoding: deep) }
        #expect((try? MessagePackValue(decoding: deep, maximumDepth: 200)) != nil)
    }

    static func hex(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    static func bytes(_ hex: String) -> ByteBuffer {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return ByteBuffer(bytes: bytes)
    }
}
