public import NIOCore
import OrderedCollections

extension MessagePackValue {
    /// The value's bytes, in the smallest format for each part, as notepack writes them:
    /// integers in the fewest bytes, other numbers as float 64, `binary` as `bin`.
    public func encoded() -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        self.write(into: &buffer)
        return buffer
    }

    /// Appends the value's bytes to `buffer`.
    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeInteger(UInt8(0xc0))
        case .undefined: buffer.writeBytes([0xd4, 0x00, 0x00])
        case .bool(let value): buffer.writeInteger(UInt8(value ? 0xc3 : 0xc2))
        case .int(let value): Self.writeInteger(value, into: &buffer)
        case .double(let value):
            buffer.writeInteger(UInt8(0xcb))
            buffer.writeInteger(value.bitPattern)
        case .string(let value):
            let length = value.utf8.count
            if length < 0x20 {
                buffer.writeInteger(UInt8(0xa0) | UInt8(length))
            } else {
                Self.writeLength(length, formats: (0xd9, 0xda, 0xdb), into: &buffer)
            }
            buffer.writeString(value)
        case .binary(let bytes):
            Self.writeLength(bytes.readableBytes, formats: (0xc4, 0xc5, 0xc6), into: &buffer)
            buffer.writeImmutableBuffer(bytes)
        case .array(let elements):
            if elements.count < 0x10 {
                buffer.writeInteger(UInt8(0x90) | UInt8(elements.count))
            } else {
                Self.writeLength(elements.count, formats: (nil, 0xdc, 0xdd), into: &buffer)
            }
            for element in elements { element.write(into: &buffer) }
        case .map(let members):
            if members.count < 0x10 {
                buffer.writeInteger(UInt8(0x80) | UInt8(members.count))
            } else {
                Self.writeLength(members.count, formats: (nil, 0xde, 0xdf), into: &buffer)
            }
            for (key, value) in members {
                MessagePackValue.string(key).write(into: &buffer)
                value.write(into: &buffer)
            }
        case .date(let milliseconds):
            let whole = Int64(milliseconds.rounded(.down))
            buffer.writeBytes([0xd7, 0x00])
            buffer.writeInteger(Int32(truncatingIfNeeded: whole >> 32))
            buffer.writeInteger(UInt32(truncatingIfNeeded: whole))
        case .extension(let type, let data):
            switch data.readableBytes {
            case 1: buffer.writeInteger(UInt8(0xd4))
            case 2: buffer.writeInteger(UInt8(0xd5))
            case 4: buffer.writeInteger(UInt8(0xd6))
            case 8: buffer.writeInteger(UInt8(0xd7))
            case 16: buffer.writeInteger(UInt8(0xd8))
            default: Self.writeLength(data.readableBytes, formats: (0xc7, 0xc8, 0xc9), into: &buffer)
            }
            buffer.writeInteger(type)
            buffer.writeImmutableBuffer(data)
        }
    }

    private static func writeInteger(_ value: Int, into buffer: inout ByteBuffer) {
        switch value {
        case 0..<0x80: buffer.writeInteger(UInt8(value))
        case 0x80..<0x100: buffer.writeBytes([0xcc, UInt8(value)])
        case 0x100..<0x10000:
            buffer.writeInteger(UInt8(0xcd))
            buffer.writeInteger(UInt16(value))
        case 0x10000..<0x1_0000_0000:
            buffer.writeInteger(UInt8(0xce))
            buffer.writeInteger(UInt32(value))
        case 0x1_0000_0000...:
            buffer.writeInteger(UInt8(0xcf))
            buffer.writeInteger(UInt64(value))
        case -0x20..<0: buffer.writeInteger(Int8(value))
        case -0x80..<(-0x20):
            buffer.writeInteger(UInt8(0xd0))
            buffer.writeInteger(Int8(value))
        case -0x8000..<(-0x80):
            buffer.writeInteger(UInt8(0xd1))
            buffer.writeInteger(Int16(value))
        case -0x8000_0000..<(-0x8000):
            buffer.writeInteger(UInt8(0xd2))
            buffer.writeInteger(Int32(value))
        default:
            buffer.writeInteger(UInt8(0xd3))
            buffer.writeInteger(Int64(value))
        }
    }

    /// The 8-, 16- or 32-bit length form (arrays and maps have no 8-bit one).
    private static func writeLength(_ length: Int, formats: (UInt8?, UInt8, UInt8), into buffer: inout ByteBuffer) {
        if let small = formats.0, length < 0x100 {
            buffer.writeBytes([small, UInt8(length)])
        } else if length < 0x10000 {
            buffer.writeInteger(formats.1)
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(formats.2)
            buffer.writeInteger(UInt32(length))
        }
    }
}
