import Foundation

/// The outcome of `CompareScenario`: one row per figure, Node beside PayNotify, printed as a
/// table and as one JSON line, with the machine's load average through the run.
public struct Comparison: Sendable {
    var rows: [ComparisonRow] = []
    /// `/proc/loadavg` at the start and after each scenario.
    var loadAverages: [(moment: String, value: String)] = []

    /// Every row that has a goal meets it.
    public var goalsMet: Bool {
        self.rows.allSatisfy { $0.met != false }
    }

    public var table: String {
        let header = ["figure", "unit", "Node", "PayNotify", "ratio", "goal", "met"]
        let cells = self.rows.map { row in
            [
                row.figure,
                row.unit,
                row.node.map(Self.format) ?? "—",
                row.paynotify.map(Self.format) ?? "—",
                row.met == nil ? "" : Self.describe(factor: row.factor),
                Self.describe(goal: row.goal, unit: row.unit),
                row.met.map { $0 ? "yes" : "no" } ?? "",
            ]
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " | ")
        }
        var lines = ["== compare: Node socket.io vs PayNotify, same run, same load generator ==", line(header)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-"))
        lines += cells.map(line)
        for row in self.rows {
            for problem in row.problems { lines.append("! \(row.figure): \(problem)") }
            if let note = row.note { lines.append("  \(row.figure): \(note)") }
        }
        lines.append("load average (1, 5, 15 min): " + self.loadAverages.map { "\($0.moment) \($0.value)" }.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }

    /// `{"scenario":"compare","rows":[…],"load_average":[…]}`.
    public var jsonLine: String {
        struct Row: Encodable {
            let figure, unit: String
            let node, paynotify, ratio: Double?
            let goal: String
            let met: Bool?
            let problems: [String]
            let note: String?
        }
        struct Line: Encodable {
            let scenario = "compare"
            let rows: [Row]
            let load_average: [[String: String]]
        }
        let line = Line(
            rows: self.rows.map { row in
                Row(
                    figure: row.figure,
                    unit: row.unit,
                    node: row.node.map(Self.rounded),
                    paynotify: row.paynotify.map(Self.rounded),
                    ratio: row.factor.flatMap { $0.isFinite ? Self.rounded($0) : nil },
                    goal: Self.describe(goal: row.goal, unit: row.unit),
                    met: row.met,
                    problems: row.problems,
                    note: row.note
                )
            },
            load_average: self.loadAverages.map { ["at": $0.moment, "value": $0.value] }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(line)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }

    /// Three significant digits or so: enough to compare, few enough to read.
    private static func format(_ value: Double) -> String {
        switch abs(value) {
        case 100...: String(format: "%.0f", value)
        case 10..<100: String(format: "%.1f", value)
        case 0.1..<10: String(format: "%.2f", value)
        default: String(format: "%.3f", value)
        }
    }

    private static func describe(factor: Double?) -> String {
        guard let factor else { return "—" }
        if factor.isInfinite { return "∞ better" }
        if factor == 0 { return "∞ worse" }
        if abs(factor - 1) < 0.005 { return "1.00× (same)" }
        return factor >= 1 ? String(format: "%.2f× better", factor) : String(format: "%.2f× worse", 1 / factor)
    }

    private static func describe(goal: ComparisonRow.Goal, unit: String) -> String {
        switch goal {
        case .factor(let factor): String(format: "≥ %g× better", factor)
        case .atMost(let limit): "≤ \(String(format: "%g", limit)) \(unit)"
        case .none: ""
        }
    }
}
