import MessagePack
import NIOCore
import OrderedCollections
import Testing

/// Seeded, bounded fuzzing: any bytes decode or are refused (never a trap), and any value
/// survives a round trip.
@Suite struct MessagePackFuzzTests {
    @Test func randomBytesNeverTrap() {
        var random = SplitMix64(seed: 0x5EED)
        var decoded = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 48)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if (try? MessagePackValue(decoding: ByteBuffer(bytes: bytes))) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }

    @Test func mutatedMessagesNeverTrap() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<5_000 {
            var bytes = Array(Self.randomValue(&random, depth: 0).encoded().readableBytesView)
            guard !bytes.isEmpty else { continue }
            for _ in 0..<1 + Int(random.next() % 3) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 4 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count))) }
            _ = try? MessagePackValue(decoding: ByteBuffer(bytes: bytes))
        }
    }

    @Test func randomValuesRoundTrip() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<3_000 {
            let value = Self.randomValue(&random, depth: 0)
            #expect(try MessagePackValue(decoding: value.encoded()) == value)
        }
    }

    static func randomValue(_ random: inout SplitMix64, depth: Int) -> MessagePackValue {
        switch random.next() % (depth > 3 ? 8 : 10) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .int(Int(truncatingIfNeeded: random.next()) >> Int(random.next() % 64))
        case 3: return .double(Double(Int(truncatingIfNeeded: random.next() % 1_000_000)) / 7)
        case 4: return .string(String(repeating: "é", count: Int(random.next() % 300)))
        case 5: return .binary(ByteBuffer(bytes: (0..<Int(random.next() % 300)).map { UInt8(truncatingIfNeeded: $0) }))
        case 6: return .undefined
        case 7: return .date(millisecondsSince1970: Double(Int(random.next() % 4_000_000_000_000)))
        case 8: return .array((0..<Int(random.next() % 20)).map { _ in Self.randomValue(&random, depth: depth + 1) })
        default:
            var members: [(String, MessagePackValue)] = []
            for index in 0..<Int(random.next() % 20) { members.append(("k\(index)", Self.randomValue(&random, depth: depth + 1))) }
            return .map(.init(uniqueKeysWithValues: members))
        }
    }
}

/// A small seeded generator, so that a failure reproduces.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
