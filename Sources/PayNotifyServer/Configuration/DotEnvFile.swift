import Foundation

/// Reads a `.env` file: `KEY=value` lines, optional `export `, `#` comments, values optionally in
/// single or double quotes (double quotes understand `\n`, `\"` and `\\`).
public enum DotEnvFile {
    public static func parse(_ text: String) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(variable: ".env line \(index + 1)", "expected KEY=value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ConfigurationError(variable: ".env line \(index + 1)", "'\(key)' is not a variable name")
            }
            values[key] = try Self.value(String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces), line: index + 1)
        }
        return values
    }

    private static func value(_ raw: String, line: Int) throws(ConfigurationError) -> String {
        if raw.hasPrefix("\"") {
            guard raw.count >= 2, raw.hasSuffix("\"") else { throw ConfigurationError(variable: ".env line \(line)", "unterminated double quote") }
            var result = ""
            var escaping = false
            for character in raw.dropFirst().dropLast() {
                if escaping {
                    result.append(character == "n" ? "\n" : character)
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    result.append(character)
                }
            }
            return result
        }
        if raw.hasPrefix("'") {
            guard raw.count >= 2, raw.hasSuffix("'") else { throw ConfigurationError(variable: ".env line \(line)", "unterminated single quote") }
            return String(raw.dropFirst().dropLast())
        }
        // Unquoted: an inline comment starts at " #".
        if let comment = raw.range(of: " #") { return String(raw[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces) }
        return raw
    }
}
