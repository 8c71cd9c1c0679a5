import Foundation

/// Reads typed values out of configuration variables, each failure naming its variable.
/// Unset and empty variables read as nil, so an empty `.env` entry means "use the default".
struct VariableReader {
    let variables: [String: String]

    func text(_ name: String) -> String? {
        guard let value = self.variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let value = self.text(name) else { return nil }
        guard let integer = Int(value), range.contains(integer) else {
            throw ConfigurationError(variable: name, "'\(value)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    func number(_ name: String, range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let value = self.text(name) else { return nil }
        guard let number = Double(value), range.contains(number) else {
            throw ConfigurationError(variable: name, "'\(value)' is not a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`.
    func flag(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let value = self.text(name) else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, "'\(value)' is not 1 or 0 (true/false, yes/no, on/off)")
        }
    }

    /// `10` or `2.5` (seconds), `500ms`, `10s`, `1m`, `1h`; at most a year.
    func duration(_ name: String, minimum: Duration) throws(ConfigurationError) -> Duration? {
        guard let value = self.text(name) else { return nil }
        guard let duration = Self.duration(value), duration >= minimum else {
            throw ConfigurationError(variable: name, "'\(value)' is not a duration of at least \(minimum) (e.g. 10, 2.5, 500ms, 1m)")
        }
        return duration
    }

    func ranges(_ name: String) throws(ConfigurationError) -> [IPAddressRange] {
        guard let value = self.text(name) else { return [] }
        switch IPAddressRange.list(value) {
        case .success(let ranges): return ranges
        case .failure(let invalid): throw ConfigurationError(variable: name, "'\(invalid.entry)' is not an IP address or CIDR range")
        }
    }

    static func duration(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(text.dropLast(unit.suffix.count)), number.isFinite, number >= 0 else { return nil }
        let milliseconds = (number * unit.seconds * 1000).rounded()
        guard milliseconds <= 366 * 86_400_000 else { return nil }
        return .milliseconds(Int64(milliseconds))
    }
}
