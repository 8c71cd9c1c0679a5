import Foundation

/// The webhooks of the last hour, counted per minute and outcome, for the dashboard's chart.
/// A ring of one slot per minute: memory stays the same however many webhooks arrive, and a
/// slot is reused once its minute is an hour old.
struct WebhookOutcomeHistory: Sendable {
    static let minutes = 60

    /// One minute's counts; `start` is the minute's first instant.
    struct Minute: Sendable, Hashable {
        let start: Date
        let counts: [WebhookOutcome: Int]
    }

    private struct Slot {
        /// Minutes since 1970 that the counts are for.
        var minute: Int64 = -1
        var counts: [WebhookOutcome: Int] = [:]
    }

    private var slots = [Slot](repeating: Slot(), count: Self.minutes)

    mutating func record(_ outcome: WebhookOutcome, at date: Date) {
        let minute = Self.minute(of: date)
        let index = Int(minute % Int64(Self.minutes))
        if self.slots[index].minute != minute {
            self.slots[index] = Slot(minute: minute)
        }
        self.slots[index].counts[outcome, default: 0] += 1
    }

    /// The 60 minutes up to and including `now`'s, oldest first; minutes without webhooks have
    /// no counts.
    func lastHour(endingAt now: Date) -> [Minute] {
        let current = Self.minute(of: now)
        return (current - Int64(Self.minutes) + 1...current).map { minute in
            let slot = self.slots[Int(minute % Int64(Self.minutes))]
            return Minute(start: Date(timeIntervalSince1970: TimeInterval(minute * 60)), counts: slot.minute == minute ? slot.counts : [:])
        }
    }

    private static func minute(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }
}
