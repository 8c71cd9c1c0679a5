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

    /// Numbers as JavaScript's `Number.prototype.toString` prints them (ECMA-262, Number::toString):
    /// the shortest digits that read back as the same double, positional notation for decimal
    /// exponents from -6 to 20, exponent notation otherwise; `NaN` and the infinities as `null`.
    static func javascriptNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        // Swift's description also gives the shortest round-trip digits; only the layout differs.
        let (digits, pointPosition) = Self.shortestDigits(of: abs(value))
        let sign = value < 0 ? "-" : ""
        let count = digits.count
        let n = pointPosition
        if count <= n && n <= 21 {
            return sign + digits + String(repeating: "0", count: n - count)
        }
        if 0 < n && n <= 21 {
            return sign + digits.prefix(n) + "." + digits.dropFirst(n)
        }
        if -6 < n && n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        let exponent = n - 1
        let mantissa = count == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
        return sign + mantissa + "e" + (exponent >= 0 ? "+" : "-") + String(abs(exponent))
    }

    /// The decimal digits `d1…dk` (no leading or trailing zeros) and the position `n` such that
    /// the value is `0.d1…dk × 10^n`.
    private static func shortestDigits(of value: Double) -> (digits: String, pointPosition: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let integerPart = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var digits = mantissa.replacingOccurrences(of: ".", with: "")
        var pointPosition = integerPart.count + exponent
        while digits.hasPrefix("0") {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (digits, pointPosition)
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
