import FuzzSupport
import EngineIO
import NIOCore

/// Engine.IO decoding of untrusted input: a text packet, and a whole polling body. Whatever the
/// bytes, decoding either succeeds or throws; a packet that decodes re-encodes and decodes to
/// itself.
@_cdecl("FuzzEngineIO_main")
public func main(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc: argc, argv: argv, callback: fuzzEngineIO)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEngineIO(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: count)
    let text = String(decoding: bytes, as: UTF8.self)
    if let packet = try? EngineIOPacket(decoding: text) {
        guard case .text(let frame) = packet.frame, let again = try? EngineIOPacket(decoding: String(buffer: frame)) else {
            if case .message(.binary) = packet { return 0 }
            fatalError("re-encoded packet does not decode: \(packet)")
        }
        precondition(again == packet, "round trip changed \(packet) into \(again)")
    }
    if let packets = try? PollingPayload.decode(ByteBuffer(bytes: bytes)) {
        let body = PollingPayload.encode(packets.map(\.frame))
        let again = try? PollingPayload.decode(body)
        precondition(again == packets, "polling round trip changed the packets")
    }
    return 0
}
