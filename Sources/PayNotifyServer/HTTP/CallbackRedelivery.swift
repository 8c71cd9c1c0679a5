import Foundation
import Hummingbird
import Logging
import Payments

/// Makes a callback event pending again, due now, with its schedule restarted, and wakes the
/// worker: the one way, for `POST /api/events/{id}/redeliver` and the dashboard's button.
/// Answers 202 with the event and its attempts; 400 for an id that cannot be an event's, 404 for
/// an unknown one, 409 when callbacks are off, 503 when the ledger cannot be written.
struct CallbackRedelivery: Sendable {
    let outbox: any CallbackOutbox
    /// Whether callbacks are on: redelivery is refused when there is nowhere to deliver.
    let callbacksEnabled: Bool
    let wakeup: CallbackWakeup
    /// Told of each redelivery, so every operator's list shows it pending again.
    let feed: (any OperatorFeed)?
    let logger: Logger

    /// `evt_` and 32 lower-case hex digits, as `CallbackEvent` ids are written.
    static func problem(withEventID id: String) -> String? {
        let hex = id.dropFirst(4)
        guard id.hasPrefix("evt_"), hex.count == 32, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            return "event id must be evt_ followed by 32 lower-case hex digits"
        }
        return nil
    }

    func answer(eventID id: String) async -> Response {
        if let problem = Self.problem(withEventID: id) { return APIAnswer.refused(problem, status: .badRequest) }
        guard self.callbacksEnabled else {
            return APIAnswer.refused("callbacks are off: set MERCHANT_CALLBACK_URL to deliver events", status: .conflict)
        }
        do {
            guard let entry = try await self.outbox.redeliver(eventID: id, now: Date()) else {
                return APIAnswer.refused("no event \(id)", status: .notFound)
            }
            self.wakeup.signal()
            self.feed?.callbackRedelivered(entry)
            self.logger.notice("Callback event queued for redelivery", metadata: ["event": .string(id), "type": .string(entry.event.kind.rawValue)])
            return JSONResponse.make(try await EventDetailAnswer(entry, outbox: self.outbox), status: .accepted)
        } catch {
            self.logger.error("Callback event not queued for redelivery", metadata: ["event": .string(id), "error": "\(error)"])
            return APIAnswer.refused("ledger unavailable; retry later", status: .serviceUnavailable)
        }
    }
}
