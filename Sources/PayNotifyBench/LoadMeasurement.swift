/// What a burst of load cost: the CPU time the server spent on it (read once the server is
/// quiet again, so trailing work counts) and the bench's own (read as soon as the load is
/// done), so a reader can tell whether the load generator was the bottleneck. The server's
/// system time is kept apart: the kernel's share of a cost bounds what user-space work can save.
struct LoadMeasurement<Result> {
    var result: Result
    var server: CPUSpent?
    var benchCPU: Duration

    /// Adds `server_cpu_<unit>_per_<item>`, `server_sys_<unit>_per_<item>` and
    /// `bench_cpu_<unit>_per_<item>` (unit `ms`, or `us` with `inMicroseconds`), each name
    /// prefixed with `prefix`.
    func report(per count: Int, _ item: String, inMicroseconds: Bool = false, prefix: String = "", into report: inout BenchReport) {
        guard count > 0 else { return }
        let (unit, scale) = inMicroseconds ? ("us", 1000.0) : ("ms", 1.0)
        if let server = self.server {
            report.add("\(prefix)server_cpu_\(unit)_per_\(item)", .number(server.total.milliseconds * scale / Double(count)))
            report.add("\(prefix)server_sys_\(unit)_per_\(item)", .number(server.system.milliseconds * scale / Double(count)))
        }
        report.add("\(prefix)bench_cpu_\(unit)_per_\(item)", .number(self.benchCPU.milliseconds * scale / Double(count)))
    }
}

extension BenchRun {
    /// Runs `load` and measures what it cost the server and the bench.
    func measureLoad<Result>(_ load: () async throws -> Result) async throws -> LoadMeasurement<Result> {
        let serverBefore = try self.serverStats()
        let benchBefore = try ProcessStats.current()
        let result = try await load()
        let benchAfter = try ProcessStats.current()
        let serverAfter = try await self.quietServerStats()
        return LoadMeasurement(
            result: result,
            server: serverBefore.flatMap { before in serverAfter.map { CPUSpent(from: before, to: $0) } },
            benchCPU: benchAfter.cpu - benchBefore.cpu
        )
    }
}

/// CPU time a process spent between two readings: in all, and the kernel's part of it.
struct CPUSpent: Sendable {
    var total: Duration
    var system: Duration

    static let zero = CPUSpent(total: .zero, system: .zero)

    init(total: Duration, system: Duration) {
        self.total = total
        self.system = system
    }

    init(from before: ProcessStats, to after: ProcessStats) {
        self.init(total: after.cpu - before.cpu, system: after.systemCPU - before.systemCPU)
    }

    static func + (lhs: CPUSpent, rhs: CPUSpent) -> CPUSpent {
        CPUSpent(total: lhs.total + rhs.total, system: lhs.system + rhs.system)
    }
}
