import Foundation

/// CPU time and resident memory of a process, read from `/proc` (Linux), for the server under
/// test and for the bench itself.
struct ProcessStats: Sendable {
    /// User + system CPU time.
    let cpu: Duration
    /// The part of `cpu` spent in the kernel on the process's behalf (system calls, the TCP
    /// stack, page faults): what faster user-space code does not reduce.
    let systemCPU: Duration
    /// Resident set size in bytes.
    let residentBytes: Int

    /// Clock ticks per second of `/proc/<pid>/stat` times.
    private static let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))

    static func of(pid: Int32) throws(BenchError) -> ProcessStats {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let commandEnd = stat.lastIndex(of: ")")
        else { throw .processUnreadable(pid: pid) }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { throw .processUnreadable(pid: pid) }
        let rssLine = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        guard let kilobytes = rssLine?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { throw .processUnreadable(pid: pid) }
        return ProcessStats(
            cpu: .milliseconds((user + system) * 1000 / Self.ticksPerSecond),
            systemCPU: .milliseconds(system * 1000 / Self.ticksPerSecond),
            residentBytes: kilobytes * 1024
        )
    }

    /// The process's figures once it used at most `busy` of CPU time over one `window`
    /// (5 % of a core by default: heartbeats of 19,000 idle connections stay below it), or
    /// after `limit` if it never does.
    static func whenQuiet(
        pid: Int32,
        window: Duration = .milliseconds(500),
        busy: Duration = .milliseconds(25),
        limit: Duration = .seconds(30)
    ) async throws -> ProcessStats {
        let deadline = ContinuousClock.now + limit
        var previous = try Self.of(pid: pid)
        while true {
            try await Task.sleep(for: window)
            let current = try Self.of(pid: pid)
            if current.cpu - previous.cpu <= busy || ContinuousClock.now >= deadline { return current }
            previous = current
        }
    }

    static func current() throws(BenchError) -> ProcessStats {
        try Self.of(pid: getpid())
    }
}
