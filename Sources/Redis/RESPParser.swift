import NIOCore

/// Why bytes from a server are not RESP2.
struct RESPParsingError: Error, Hashable, CustomStringConvertible {
    let message: String

    var description: String { "invalid RESP: \(self.message)" }
}

/// An incremental RESP2 parser: reads one value if the buffer holds all of it, and consumes
/// nothing otherwise, so it can be fed whatever arrived from the network.
struct RESPParser: Sendable {
    /// Largest bulk string accepted; Redis's own limit is 512 MB, ours is smaller so a broken
    /// server cannot make the client allocate without bound.
    var maximumBulkLength = 64 << 20
    var maximumArrayLength = 1 << 20
    var maximumDepth = 32

    init() {}

    func parse(_ buffer: inout ByteBuffer) throws(RESPParsingError) -> RESPValue? {
        var copy = buffer
        guard let value = try self.value(from: &copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private func value(from buffer: inout ByteBuffer, depth: Int) throws(RESPParsingError) -> RESPValue? {
        guard depth <= self.maximumDepth else { throw RESPParsingError(message: "nested deeper than \(self.maximumDepth)") }
        guard let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        guard let line = Self.line(in: &buffer, skippingType: true) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            return .simpleString(line)
        case UInt8(ascii: "-"):
            return .error(line)
        case UInt8(ascii: ":"):
            guard let integer = Int(line) else { throw RESPParsingError(message: "integer '\(line)'") }
            return .integer(integer)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1, length <= self.maximumBulkLength else {
                throw RESPParsingError(message: "bulk length '\(line)'")
            }
            if length == -1 { return .bulkString(nil) }
            guard buffer.readableBytes >= length + 2 else { return nil }
            let bytes = buffer.readSlice(length: length)!
            guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw RESPParsingError(message: "bulk string not followed by CRLF") }
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, count <= self.maximumArrayLength else {
                throw RESPParsingError(message: "array length '\(line)'")
            }
            if count == -1 { return .array(nil) }
            var elements: [RESPValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                guard let element = try self.value(from: &buffer, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw RESPParsingError(message: "unknown type byte \(type)")
        }
    }

    /// Reads a CRLF-terminated line (without the type byte when asked), or nil if incomplete.
    private static func line(in buffer: inout ByteBuffer, skippingType: Bool) -> String? {
        let view = buffer.readableBytesView
        guard let carriageReturn = view.firstIndex(of: 0x0D), view.index(after: carriageReturn) < view.endIndex,
            view[view.index(after: carriageReturn)] == 0x0A
        else { return nil }
        let start = view.startIndex + (skippingType ? 1 : 0)
        let text = String(decoding: view[start..<carriageReturn], as: UTF8.self)
        buffer.moveReaderIndex(forwardBy: carriageReturn - view.startIndex + 2)
        return text
    }
}
