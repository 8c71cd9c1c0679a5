import FuzzSupport
import EngineIO
import NIOCore
import SocketIO

/// Socket.IO decoding of untrusted input: the first byte picks how the rest is cut into Engine.IO
/// messages (text packets and binary attachments), fed to one decoder as a client would (after
/// an error the server would close the connection: a fresh decoder continues). A decoded packet
/// must re-encode to text that encodes the same again (numbers may change form, `1.0` → `1`).
@_cdecl("FuzzSocketIO_main")
public func main(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc: argc, argv: argv, callback: fuzzSocketIO)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSocketIO(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input else { return 0 }
    guard count > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: count)
    let pattern = bytes[0]
    var decoder = SocketIOPacketDecoder(maximumAttachments: 8)
    for (index, chunk) in bytes.dropFirst().split(separator: 0x1E, omittingEmptySubsequences: false).enumerated() {
        let isBinary = (pattern >> (index % 8)) & 1 == 1
        let message: EngineIOMessage = isBinary ? .binary(ByteBuffer(bytes: chunk)) : .text(String(decoding: chunk, as: UTF8.self))
        let packet: SocketIOPacket?
        do {
            packet = try decoder.decode(message)
        } catch {
            decoder = SocketIOPacketDecoder(maximumAttachments: 8)
            continue
        }
        if let packet { checkRoundTrip(packet) }
    }
    _ = try? SocketIOValue(json: String(decoding: bytes, as: UTF8.self))
    return 0
}

private func checkRoundTrip(_ packet: SocketIOPacket) {
    let encoded = packet.encoded()
    var decoder = SocketIOPacketDecoder(maximumAttachments: 1000)
    var result: SocketIOPacket?
    do {
        for frame in encoded.frames {
            switch frame {
            case .text: result = try decoder.decode(.text(encoded.text))
            case .binary(let buffer): result = try decoder.decode(.binary(buffer))
            }
        }
    } catch {
        fatalError("encoded packet does not decode: \(encoded.text): \(error)")
    }
    guard let result else { fatalError("encoded packet is incomplete: \(encoded.text)") }
    precondition(result.encoded().text == encoded.text, "encoding is not stable: \(encoded.text) vs \(result.encoded().text)")
}
