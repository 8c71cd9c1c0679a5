import Logging
import Payments
import SocketIO

/// The one path every reported payment takes, whether from a webhook or the poller:
/// record it durably, then announce it if it is the payment that confirmed its booking.
struct PaymentProcessor: Sendable {
    let ledger: any Ledger
    let io: SocketIOServer
    let watchList: BookingWatchList
    let logger: Logger

    /// Records and, for a booking's confirming payment, notifies. Throws when the payment could
    /// not be stored, in which case nothing was announced.
    @discardableResult
    func process(_ event: PaymentEvent) async throws(LedgerError) -> RecordOutcome {
        let outcome = try await self.ledger.record(event)
        guard case .recorded(let record) = outcome else {
            let earlier = outcome.record
            if earlier.event.bookingID != event.bookingID {
                self.logger.error(
                    "Transaction already recorded for another booking; ignored",
                    metadata: ["booking": .string(event.bookingID), "transaction": .string(event.transactionID), "recordedFor": .string(earlier.event.bookingID)]
                )
            } else if earlier.role == .confirmation {
                self.watchList.markPaid(bookingID: event.bookingID)
            }
            return outcome
        }
        switch record.role {
        case .confirmation:
            self.watchList.markPaid(bookingID: event.bookingID)
            await PaymentNotifications(confirmation: record).broadcast(to: self.io, bookingID: event.bookingID)
        case .additionalPayment:
            self.logger.warning(
                "Second successful payment for an already paid booking; recorded, not announced",
                metadata: ["booking": .string(event.bookingID), "transaction": .string(event.transactionID), "provider": .string(event.provider)]
            )
        case .nonSuccess:
            break
        }
        return outcome
    }

    /// For the poller: records a paid answer; true when the booking is now settled (confirmed by
    /// this or an earlier payment), false when the poller should try again later.
    func settle(_ event: PaymentEvent) async -> Bool {
        do {
            let outcome = try await self.process(event)
            return outcome.record.event.bookingID == event.bookingID && outcome.record.event.status.isSuccess
        } catch {
            self.logger.error("Polled payment not stored; will ask again", metadata: ["booking": .string(event.bookingID), "error": "\(error)"])
            return false
        }
    }
}
