/// `transaction_success` deliveries counted per socket and booking: every run checks that each
/// subscribed socket got each of its webhooks exactly once.
struct DeliveryTally: Sendable {
    /// First copies of a webhook's event at a socket watching its booking.
    var delivered = 0
    /// Further copies at a socket that already had one.
    var duplicates = 0
    /// Events for a booking no webhook was sent for, or at a socket not watching it.
    var unexpected = 0

    /// What arrived since `earlier`.
    func since(_ earlier: DeliveryTally) -> DeliveryTally {
        DeliveryTally(
            delivered: self.delivered - earlier.delivered,
            duplicates: self.duplicates - earlier.duplicates,
            unexpected: self.unexpected - earlier.unexpected
        )
    }

    /// Adds `delivered`, `lost` (of `expected`), `duplicates` and `unexpected` to `report`,
    /// each name prefixed with `prefix`.
    func report(expected: Int, into report: inout BenchReport, prefix: String = "") {
        report.add(prefix + "delivered", .count(self.delivered))
        report.add(prefix + "expected", .count(expected))
        report.add(prefix + "lost", .count(max(0, expected - self.delivered)))
        report.add(prefix + "duplicates", .count(self.duplicates))
        report.add(prefix + "unexpected", .count(self.unexpected))
    }

    /// Every expected delivery arrived once and nothing else did.
    func isExact(expected: Int) -> Bool {
        self.delivered == expected && self.duplicates == 0 && self.unexpected == 0
    }
}
