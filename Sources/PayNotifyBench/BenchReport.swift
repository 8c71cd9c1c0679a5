import Foundation

/// A scenario's figures: printed as one JSON line (for scripts) and as a readable table.
public struct BenchReport: Sendable {
    public let scenario: String
    /// Figures in the order they are printed.
    public private(set) var figures: [(name: String, value: Figure)] = []

    public enum Figure: Sendable, Encodable, CustomStringConvertible {
        case count(Int)
        case number(Double)
        case text(String)
        case latency(LatencySummary)

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .count(let value): try container.encode(value)
            case .number(let value): try container.encode((value * 1000).rounded() / 1000)
            case .text(let value): try container.encode(value)
            case .latency(let value): try container.encode(value)
            }
        }

        public var description: String {
            switch self {
            case .count(let value): "\(value)"
            case .number(let value): String(format: "%.3f", value)
            case .text(let value): value
            case .latency(let value):
                String(format: "p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms (n=%d)", value.p50, value.p90, value.p99, value.max, value.count)
            }
        }
    }

    init(scenario: String) {
        self.scenario = scenario
    }

    mutating func add(_ name: String, _ value: Figure) {
        self.figures.append((name, value))
    }

    /// The first figure called `name`.
    subscript(name: String) -> Figure? {
        self.figures.first { $0.name == name }?.value
    }

    /// The figure called `name` as a number, when it is a count or a number.
    func number(_ name: String) -> Double? {
        switch self[name] {
        case .count(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The figure called `name`, when it is a latency summary.
    func latency(_ name: String) -> LatencySummary? {
        if case .latency(let value) = self[name] { value } else { nil }
    }

    /// `{"scenario":…, figures…}` in print order.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        let parts = [#""scenario":"\#(self.scenario)""#] + self.figures.map { name, value in
            let json = (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
            return #""\#(name)":\#(json)"#
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    public var table: String {
        let width = self.figures.map(\.name.count).max() ?? 0
        let rows = self.figures.map { name, value in
            name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value.description
        }
        return (["== \(self.scenario) =="] + rows).joined(separator: "\n")
    }
}
