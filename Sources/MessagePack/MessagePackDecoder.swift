public import NIOCore
import OrderedCollections

extension MessagePackValue {
    /// Reads one value that must fill `bytes`. Never traps, whatever the bytes: lengths are
    /// checked against what is there before anything is allocated, and nesting is bounded.
    /// - Parameters:
    ///   - bytes: The encoded value.
    ///   - maximumDepth: How deeply arrays and maps may nest.
    /// - Throws: `MessagePackDecodingError`, with the offset of the offending byte.
    public init(decoding bytes: ByteBuffer, maximumDepth: Int = 64) throws(MessagePackDecodingError) {
        var decoder = MessagePackDecoder(buffer: bytes, start: bytes.readerIndex, maximumDepth: maximumDepth)
        self = try decoder.readValue(depth: 0)
        guard decoder.buffer.readableBytes == 0 else {
            throw decoder.error(.trailingBytes(decoder.buffer.readableBytes))
        }
    }
}

/// Reads values from the front of a buffer; one decoder per message.
struct MessagePackDecoder {
    var buffer: ByteBuffer
    let start: Int
    let maximumDepth: Int

    func error(_ reason: MessagePackDecodingError.Reason) -> MessagePackDecodingError {
        MessagePackDecodingError(reason: reason, offset: self.buffer.readerIndex - self.start)
    }

    mutating func readValue(depth: Int) throws(MessagePackDecodingError) -> MessagePackValue {
        let prefix = try self.read(UInt8.self)
        switch prefix {
        case 0x00...0x7f: return .int(Int(prefix))
        case 0x80...0x8f: return try self.readMap(count: Int(prefix & 0x0f), depth: depth)
        case 0x90...0x9f: return try self.readArray(count: Int(prefix & 0x0f), depth: depth)
        case 0xa0...0xbf: return try self.readString(length: Int(prefix & 0x1f))
        case 0xe0...0xff: return .int(Int(Int8(bitPattern: prefix)))
        case 0xc0: return .null
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4: return .binary(try self.readBytes(length: Int(try self.read(UInt8.self))))
        case 0xc5: return .binary(try self.readBytes(length: Int(try self.read(UInt16.self))))
        case 0xc6: return .binary(try self.readBytes(length: Int(try self.read(UInt32.self))))
        case 0xc7: return try self.readExtension(length: Int(try self.read(UInt8.self)), fixed: false)
        case 0xc8: return try self.readExtension(length: Int(try self.read(UInt16.self)), fixed: false)
        case 0xc9: return try self.readExtension(length: Int(try self.read(UInt32.self)), fixed: false)
        case 0xca: return .double(Double(Float(bitPattern: try self.read(UInt32.self))))
        case 0xcb: return .double(Double(bitPattern: try self.read(UInt64.self)))
        case 0xcc: return .int(Int(try self.read(UInt8.self)))
        case 0xcd: return .int(Int(try self.read(UInt16.self)))
        case 0xce: return .int(Int(try self.read(UInt32.self)))
        case 0xcf:
            let value = try self.read(UInt64.self)
            return Int(exactly: value).map { .int($0) } ?? .double(Double(value))
        case 0xd0: return .int(Int(try self.read(Int8.self)))
        case 0xd1: return .int(Int(try self.read(Int16.self)))
        case 0xd2: return .int(Int(try self.read(Int32.self)))
        case 0xd3: return .int(Int(try self.read(Int64.self)))
        case 0xd4: return try self.readExtension(length: 1, fixed: true)
        case 0xd5: return try self.readExtension(length: 2, fixed: true)
        case 0xd6: return try self.readExtension(length: 4, fixed: true)
        case 0xd7: return try self.readExtension(length: 8, fixed: true)
        case 0xd8: return try self.readExtension(length: 16, fixed: true)
        case 0xd9: return try self.readString(length: Int(try self.read(UInt8.self)))
        case 0xda: return try self.readString(length: Int(try self.read(UInt16.self)))
        case 0xdb: return try self.readString(length: Int(try self.read(UInt32.self)))
        case 0xdc: return try self.readArray(count: Int(try self.read(UInt16.self)), depth: depth)
        case 0xdd: return try self.readArray(count: Int(try self.read(UInt32.self)), depth: depth)
        case 0xde: return try self.readMap(count: Int(try self.read(UInt16.self)), depth: depth)
        case 0xdf: return try self.readMap(count: Int(try self.read(UInt32.self)), depth: depth)
        default:
            self.buffer.moveReaderIndex(to: self.buffer.readerIndex - 1)
            throw self.error(.unknownFormat(prefix))
        }
    }

    private mutating func read<Integer: FixedWidthInteger>(_ type: Integer.Type) throws(MessagePackDecodingError) -> Integer {
        guard let value = self.buffer.readInteger(endianness: .big, as: Integer.self) else { throw self.error(.truncated) }
        return value
    }

    private mutating func readBytes(length: Int) throws(MessagePackDecodingError) -> ByteBuffer {
        guard let bytes = self.buffer.readSlice(length: length) else { throw self.error(.truncated) }
        return bytes
    }

    private mutating func readString(length: Int) throws(MessagePackDecodingError) -> MessagePackValue {
        guard length <= self.buffer.readableBytes else { throw self.error(.truncated) }
        let offset = self.buffer.readerIndex
        guard let string = try? self.buffer.getUTF8ValidatedString(at: offset, length: length) else {
            throw self.error(.invalidUTF8)
        }
        self.buffer.moveReaderIndex(forwardBy: length)
        return .string(string)
    }

    /// notepack's type-0 extensions: `undefined` (fixext 1), `Date` (fixext 8), `ArrayBuffer`
    /// (ext 8/16/32); any other stays an extension.
    private mutating func readExtension(length: Int, fixed: Bool) throws(MessagePackDecodingError) -> MessagePackValue {
        let type = try self.read(Int8.self)
        let data = try self.readBytes(length: length)
        guard type == 0 else { return .extension(type: type, data: data) }
        switch (fixed, length) {
        case (true, 1): return .undefined
        case (true, 8):
            var reader = data
            let high = Double(reader.readInteger(as: Int32.self)!) * 4_294_967_296
            let low = Double(reader.readInteger(as: UInt32.self)!)
            return .date(millisecondsSince1970: high + low)
        case (false, _): return .binary(data)
        default: return .extension(type: type, data: data)
        }
    }

    private mutating func readArray(count: Int, depth: Int) throws(MessagePackDecodingError) -> MessagePackValue {
        guard depth < self.maximumDepth else { throw self.error(.tooDeep) }
        // Every element takes at least a byte: a count beyond that is a lie, not an allocation.
        guard count <= self.buffer.readableBytes else { throw self.error(.truncated) }
        var elements: [MessagePackValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try self.readValue(depth: depth + 1)) }
        return .array(elements)
    }

    private mutating func readMap(count: Int, depth: Int) throws(MessagePackDecodingError) -> MessagePackValue {
        guard depth < self.maximumDepth else { throw self.error(.tooDeep) }
        guard count <= self.buffer.readableBytes / 2 else { throw self.error(.truncated) }
        var members = OrderedDictionary<String, MessagePackValue>(minimumCapacity: count)
        for _ in 0..<count {
            let keyOffset = self.buffer.readerIndex
            guard case .string(let key) = try self.readValue(depth: depth + 1) else {
                self.buffer.moveReaderIndex(to: keyOffset)
                throw self.error(.nonStringKey)
            }
            members[key] = try self.readValue(depth: depth + 1)
        }
        return .map(members)
    }
}
