import EngineIO
import NIOCore

/// The bytes of a frame as a string, whatever its kind.
func frameString(_ frame: EngineIOFrame) -> String {
    switch frame {
    case .text(let buffer), .binary(let buffer): String(buffer: buffer)
    }
}

func buffer(_ string: String) -> ByteBuffer {
    ByteBuffer(string: string)
}

func buffer(_ bytes: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: bytes)
}
