import Foundation
import Testing

@testable import PayNotifyServer

@Suite("Webhook outcomes of the last hour, per minute")
struct WebhookOutcomeHistoryTests {
    /// 10:00:00 UTC on some day: a minute's start.
    let hour = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 3600))

    @Test("Outcomes are counted in their minute; the hour ends with the current minute")
    func counted() {
        var history = WebhookOutcomeHistory()
        history.record(.new, at: self.hour.addingTimeInterval(5))
        history.record(.new, at: self.hour.addingTimeInterval(59.9))
        history.record(.duplicate, at: self.hour.addingTimeInterval(30))
        history.record(.unauthorized, at: self.hour.addingTimeInterval(61))
        let minutes = history.lastHour(endingAt: self.hour.addingTimeInterval(90))
        #expect(minutes.count == 60)
        #expect(minutes.last?.start == self.hour.addingTimeInterval(60))
        #expect(minutes.last?.counts == [.unauthorized: 1])
        #expect(minutes[58].start == self.hour)
        #expect(minutes[58].counts == [.new: 2, .duplicate: 1])
        #expect(minutes.dropLast(2).allSatisfy { $0.counts.isEmpty })
        #expect(zip(minutes, minutes.dropFirst()).allSatisfy { $1.start.timeIntervalSince($0.start) == 60 })
    }

    @Test("A minute an hour old is forgotten, and its slot counts the new minute from zero")
    func ring() {
        var history = WebhookOutcomeHistory()
        history.record(.failed, at: self.hour)
        history.record(.failed, at: self.hour.addingTimeInterval(3599))
        #expect(history.lastHour(endingAt: self.hour.addingTimeInterval(3599)).first?.counts == [.failed: 1])
        let later = self.hour.addingTimeInterval(3600)
        #expect(history.lastHour(endingAt: later).allSatisfy { $0.counts[.failed] == nil || $0.start == self.hour.addingTimeInterval(3540) })
        history.record(.new, at: later)
        let minutes = history.lastHour(endingAt: later)
        #expect(minutes.last?.counts == [.new: 1])
        #expect(minutes.map { $0.counts[.failed] ?? 0 }.reduce(0, +) == 1)
    }

    @Test("Metrics feed the history as they count webhooks")
    func fedByMetrics() {
        let metrics = PayNotifyMetrics()
        metrics.webhookHandled(route: "/webhook/payment", outcome: .new)
        metrics.webhookHandled(route: "/webhook/sepay", outcome: .rateLimited)
        let total = metrics.webhookOutcomesOfLastHour().reduce(into: [WebhookOutcome: Int]()) { $0.merge($1.counts, uniquingKeysWith: +) }
        #expect(total == [.new: 1, .rateLimited: 1])
    }
}
