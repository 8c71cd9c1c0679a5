import Foundation

extension JSONField {
    /// The text `JSON.stringify` gives for this value after every object's keys were sorted
    /// (JavaScript's default sort: by UTF-16 code units), recursively: no spaces, strings with
    /// only `"`, `\` and control characters escaped (other characters as they are), numbers as
    /// JavaScript prints them. Casso signs this text rather than the bytes it sends.
    var sortedKeysJSON: String {
        var text = ""
        self.writeSortedKeys(into: &text)
        return text
    }

    private func writeSortedKeys(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let number): text += Self.javascriptNumber(number)
        case .string(let string): Self.writeString(string, into: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.writeSortedKeys(into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted(by: { $0.utf16.lexicographicallyPrecedes($1.utf16) }).enumerated() {
                if index > 0 { text += "," }
                Self.writeString(key, into: &text)
                text += ":"
                members[key]?.writeSortedKeys(into: &text)
            }
            text += "}"
        }
    }

    /// JavaScript writes whole numbers below 10^21 with all their digits.
    private static let largestWholeNumberWritten = Decimal(sign: .plus, exponent: 21, significand: 1)

    /// Whole numbers below 10^21 as their digits, as JavaScript does; others through the
    /// shortest double, which matches JavaScript for every fraction a bank amount has.
    private static func javascriptNumber(_ number: Decimal) -> String {
        if number.isWholeNumber, abs(number) < Self.largestWholeNumberWritten {
            return number == 0 ? "0" : number.description
        }
        return NSDecimalNumber(decimal: number).doubleValue.description
    }

    private static func writeString(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
