/// Percentiles of a set of latencies, in milliseconds.
public struct LatencySummary: Sendable, Encodable {
    public let count: Int
    public let p50: Double
    public let p90: Double
    public let p99: Double
    public let max: Double

    init(_ latencies: [Duration]) {
        let sorted = latencies.map(\.milliseconds).sorted()
        self.count = sorted.count
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank))]
        }
        self.p50 = percentile(50)
        self.p90 = percentile(90)
        self.p99 = percentile(99)
        self.max = sorted.last ?? 0
    }
}

extension Duration {
    /// The duration in milliseconds, for reports.
    var milliseconds: Double {
        Double(self.components.seconds) * 1000 + Double(self.components.attoseconds) / 1e15
    }
}
