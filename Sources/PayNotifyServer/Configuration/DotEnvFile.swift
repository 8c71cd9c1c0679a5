import Foundation

/// Reads a `.env` file: `KEY=value` lines (LF or CRLF), optional `export `, `#` comments,
/// values optionally in single quotes (literal) or double quotes (understanding `\n`, `\"` and
/// `\\`), optionally followed by a ` # comment`.
public enum DotEnvFile {
    public static func parse(_ text: String) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        // `\r\n` is a single Character, so split on newline characters, not on "\n".
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            let location = ".env line \(index + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(variable: location, "expected KEY=value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ConfigurationError(variable: location, "'\(key)' is not a variable name")
            }
            let raw = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            values[key] = try Self.value(raw, at: location)
        }
        return values
    }

    private static func value(_ raw: String, at location: String) throws(ConfigurationError) -> String {
        guard let quote = raw.first, quote == "\"" || quote == "'" else {
            // Unquoted: an inline comment starts at " #".
            if let comment = raw.range(of: " #") { return String(raw[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces) }
            return raw
        }
        var result = ""
        var escaping = false
        var index = raw.index(after: raw.startIndex)
        while index < raw.endIndex {
            let character = raw[index]
            if escaping {
                result.append(character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" && quote == "\"" {
                escaping = true
            } else if character == quote {
                let rest = raw[raw.index(after: index)...].trimmingCharacters(in: .whitespaces)
                guard rest.isEmpty || rest.hasPrefix("#") else {
                    throw ConfigurationError(variable: location, "unexpected text after the closing quote")
                }
                return result
            } else {
                result.append(character)
            }
            index = raw.index(after: index)
        }
        throw ConfigurationError(variable: location, quote == "\"" ? "unterminated double quote" : "unterminated single quote")
    }
}
