import Foundation
import NIOCore
import OrderedCollections

/// Writes `SocketIOValue`s as compact JSON, the way `JSON.stringify` does, so clients see the
/// same text the Node server would send. Binary values become attachment placeholders.
struct JSONSerializer {
    /// Binary values met so far, in placeholder order.
    private(set) var attachments: [ByteBuffer] = []

    mutating func write(_ value: SocketIOValue, into buffer: inout ByteBuffer) {
        switch value {
        case .null:
            buffer.writeStaticString("null")
        case .bool(let flag):
            buffer.writeStaticString(flag ? "true" : "false")
        case .int(let integer):
            buffer.writeString(String(integer))
        case .double(let double):
            buffer.writeString(Self.javascriptNumber(double))
        case .string(let string):
            Self.writeString(string, into: &buffer)
        case .array(let elements):
            buffer.writeInteger(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                self.write(element, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                self.write(member, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        case .binary(let bytes):
            buffer.writeStaticString(#"{"_placeholder":true,"num":"#)
            buffer.writeString(String(self.attachments.count))
            buffer.writeInteger(UInt8(ascii: "}"))
            self.attachments.append(bytes)
        }
    }

    /// Numbers as JavaScript prints them: integral values without a fraction, `NaN` and the
    /// infinities as `null`, exponents without leading zeros.
    static func javascriptNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e21 {
            if abs(value) < 9e18 { return String(Int64(value)) }
            return String(format: "%.0f", value)
        }
        var text = value.description
        if let exponent = text.firstIndex(of: "e") {
            let mantissa = text[..<exponent]
            var power = text[text.index(after: exponent)...]
            var sign = "+"
            if power.first == "-" || power.first == "+" {
                sign = power.first == "-" ? "-" : "+"
                power = power.dropFirst()
            }
            while power.count > 1, power.first == "0" { power = power.dropFirst() }
            text = "\(mantissa)e\(sign)\(power)"
        }
        return text
    }

    static func writeString(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var pending = string.utf8.startIndex
        let utf8 = string.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                buffer.writeBytes(utf8[pending..<index])
                Self.writeEscape(byte, into: &buffer)
                pending = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        buffer.writeBytes(utf8[pending..<utf8.endIndex])
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ byte: UInt8, into buffer: inout ByteBuffer) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        default:
            let hex = Array("0123456789abcdef".utf8)
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(hex[Int(byte >> 4)])
            buffer.writeInteger(hex[Int(byte & 0x0F)])
        }
    }
}
