import Logging
import Payments
import SocketIO

/// Why a reported payment was not fully handled. Either way the provider should retry: the
/// retry is a duplicate for the ledger and is announced if it was not yet.
enum PaymentProcessingError: Error, CustomStringConvertible {
    case notStored(LedgerError)
    /// Stored, but its notification did not reach every node.
    case notAnnounced

    var description: String {
        switch self {
        case .notStored(let error): "\(error)"
        case .notAnnounced: "payment stored but not announced to every node"
        }
    }
}

/// The one path every reported payment takes, whether from a webhook or the poller:
/// record it durably, then announce it if it is the payment that confirmed its booking.
struct PaymentProcessor: Sendable {
    let ledger: any Ledger
    let io: SocketIOServer
    let watchList: BookingWatchList
    let metrics: PayNotifyMetrics
    let logger: Logger

    /// Records and, for a booking's confirming payment not yet announced, notifies.
    /// `webhookArrivedAt`: when the webhook reporting it arrived, for the webhook → emit latency.
    @discardableResult
    func process(_ event: PaymentEvent, webhookArrivedAt: ContinuousClock.Instant? = nil) async throws(PaymentProcessingError) -> RecordOutcome {
        let outcome: RecordOutcome
        do {
            let started = ContinuousClock.now
            outcome = try await self.ledger.record(event)
            self.metrics.ledgerWritten(in: .now - started)
        } catch {
            throw .notStored(error)
        }
        let record = outcome.record
        if record.event.bookingID != event.bookingID {
            self.logger.error(
                "Transaction already recorded for another booking; ignored",
                metadata: ["booking": .string(event.bookingID), "transaction": .string(event.transactionID), "recordedFor": .string(record.event.bookingID)]
            )
            return outcome
        }
        if record.role == .confirmation { self.watchList.markPaid(bookingID: event.bookingID) }
        if case .recorded = outcome, record.role == .additionalPayment {
            self.logger.warning(
                "Second successful payment for an already paid booking; recorded, not announced",
                metadata: ["booking": .string(event.bookingID), "transaction": .string(event.transactionID), "provider": .string(event.provider)]
            )
        }
        guard record.needsAnnouncement(for: event) else { return outcome }
        guard await PaymentNotifications(confirmation: record).broadcast(to: self.io, bookingID: event.bookingID) else {
            throw .notAnnounced
        }
        if let webhookArrivedAt { self.metrics.paymentAnnounced(afterWebhookFor: .now - webhookArrivedAt) }
        do {
            try await self.ledger.markAnnounced(record)
        } catch {
            // Worst case a retry announces it once more: pages tolerate twice, never zero.
            self.logger.error("Announced payment not marked as announced", metadata: ["booking": .string(event.bookingID), "error": "\(error)"])
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
            self.logger.error("Polled payment not settled; will ask again", metadata: ["booking": .string(event.bookingID), "error": "\(error)"])
            return false
        }
    }
}
