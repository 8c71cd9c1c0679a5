/// Which figures of each scenario are compared, and what PayNotify must reach for each: the
/// issue's goal is 3× better than Node everywhere, except webhook → event p50, which must be at
/// most 0.3 ms.
extension CompareScenario {
    func rows(of part: Part, node: BenchReport, paynotify: BenchReport) -> [ComparisonRow] {
        let pair = ReportPair(node: node, paynotify: paynotify)
        switch part {
        case .connect:
            let steps = Array(Set(self.plan.connectionSteps)).sorted()
            let suffix: (Int) -> String = { steps.count > 1 ? "_\($0)" : "" }
            var rows = steps.map { count in
                pair.row("server RSS per idle subscribed connection, \(count) held", "B", goal: .factor(3)) {
                    $0.number("server_bytes_per_connection" + suffix(count))
                }
            }
            if let first = steps.first {
                rows.append(pair.row("server CPU per new subscribed connection (first \(first))", "ms", goal: .factor(3)) {
                    $0.number("server_cpu_ms_per_connection" + suffix(first))
                })
                rows.append(pair.row(Self.kernelShare, "ms", goal: .none) { $0.number("server_sys_ms_per_connection" + suffix(first)) })
            }
            return rows
        case .upgrade:
            let count = "\(self.plan.upgradeConnections), \(self.plan.upgradeConcurrency) at a time"
            return [
                pair.row("default transports (polling, then upgrade): server CPU per connection (\(count))", "ms", goal: .factor(3)) {
                    $0.number("server_cpu_ms_per_connection")
                },
                pair.row(Self.kernelShare, "ms", goal: .none) { $0.number("server_sys_ms_per_connection") },
                pair.row("default transports: handshake → upgraded and subscribed p99", "ms", goal: .factor(3)) { $0.latency("handshake_ms")?.p99 },
                pair.row("  handshake → upgraded and subscribed p50", "ms", goal: .none) { $0.latency("handshake_ms")?.p50 },
                pair.row("  seconds to open all", "s", goal: .none) { $0.number("connect_seconds") },
            ]
        case .notify:
            let rate = "\(Int(self.plan.rate))/s, \(self.plan.subscribers) subscribers"
            return [
                pair.row("webhook → transaction_success p50 at \(rate)", "ms", goal: .atMost(0.3)) { $0.latency("webhook_to_event_ms")?.p50 },
                pair.row("webhook → transaction_success p99 at \(rate)", "ms", goal: .factor(3)) { $0.latency("webhook_to_event_ms")?.p99 },
                pair.row("server CPU per webhook at \(rate)", "ms", goal: .factor(3)) { $0.number("server_cpu_ms_per_webhook") },
                pair.row(Self.kernelShare, "ms", goal: .none) { $0.number("server_sys_ms_per_webhook") },
                pair.row("  load generator CPU per webhook", "ms", goal: .none) { $0.number("bench_cpu_ms_per_webhook") },
                pair.row("  webhooks per second achieved", "/s", lowerIsBetter: false, goal: .none) { $0.number("webhooks_per_second") },
            ]
        case .ramp:
            let limit = Int(self.plan.p99Limit.milliseconds)
            var row = pair.row(
                "highest webhook rate with p99 ≤ \(limit) ms, nothing lost (\(self.plan.subscribers) subscribers)",
                "/s",
                lowerIsBetter: false,
                goal: .factor(3)
            ) { $0.number("max_sustained_per_second") }
            row.note = "stopped by: node \(Self.rampEnd(node)); paynotify \(Self.rampEnd(paynotify))"
            return [row]
        case .fanout:
            let room = "\(self.plan.members)-member room"
            return [
                pair.row("\(room): webhook → last member's transaction_success (p50 of \(self.plan.rounds))", "ms", goal: .factor(3)) {
                    $0.latency("last_delivery_ms")?.p50
                },
                pair.row("\(room): server CPU per delivered event", "µs", goal: .factor(3)) { $0.number("server_cpu_us_per_delivery") },
                pair.row(Self.kernelShare, "µs", goal: .none) { $0.number("server_sys_us_per_delivery") },
                pair.row("  load generator CPU per delivered event", "µs", goal: .none) { $0.number("bench_cpu_us_per_delivery") },
                pair.row("  load generator CPU per websocket frame", "µs", goal: .none) { $0.number("bench_cpu_us_per_frame") },
            ]
        }
    }

    /// The row under a CPU figure with its system time: the kernel's work (the loopback TCP of
    /// both ends, epoll, the disk), which bounds what either server's own code can save.
    private static let kernelShare = "  of which the kernel's (system time)"

    /// The first step of a ramp that missed, or that none did.
    private static func rampEnd(_ report: BenchReport) -> String {
        for (name, value) in report.figures where name.hasSuffix("_verdict") {
            if case .text(let verdict) = value, verdict != "pass" {
                return "\(name.dropFirst("at_".count).prefix { $0 != "_" })/s: \(verdict)"
            }
        }
        return "nothing (every step passed)"
    }
}

/// The two reports of one scenario, made into rows.
private struct ReportPair {
    let node: BenchReport
    let paynotify: BenchReport

    func row(
        _ figure: String,
        _ unit: String,
        lowerIsBetter: Bool = true,
        goal: ComparisonRow.Goal,
        value: (BenchReport) -> Double?
    ) -> ComparisonRow {
        ComparisonRow(
            figure: figure,
            unit: unit,
            lowerIsBetter: lowerIsBetter,
            goal: goal,
            node: value(self.node),
            paynotify: value(self.paynotify),
            problems: Self.problems(in: self.node, server: "node") + Self.problems(in: self.paynotify, server: "paynotify")
        )
    }

    /// Failed connections, refused webhooks, and deliveries lost, duplicated or unexpected: a
    /// scenario with any of them fails all its rows.
    private static func problems(in report: BenchReport, server: String) -> [String] {
        var problems: [String] = []
        let failures = report.figures.reduce(0) { sum, figure in
            guard figure.name == "failures" || figure.name.hasPrefix("failures_"), case .count(let count) = figure.value else { return sum }
            return sum + count
        }
        if failures > 0 { problems.append("\(server): \(failures) connections failed") }
        if let sent = report.number("webhooks_sent"), let accepted = report.number("webhooks_accepted"), accepted < sent {
            problems.append("\(server): \(Int(sent - accepted)) webhooks refused")
        }
        for (name, word) in [("lost", "lost"), ("duplicates", "duplicated"), ("unexpected", "unexpected")] {
            if let count = report.number(name), count > 0 { problems.append("\(server): \(Int(count)) deliveries \(word)") }
        }
        return problems
    }
}
