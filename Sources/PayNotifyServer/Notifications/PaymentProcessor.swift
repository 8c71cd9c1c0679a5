import Foundation
import Logging
import Payments

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

/// What one transaction of a webhook came to.
enum TransactionOutcome: Sendable {
    case payment(RecordOutcome)
    /// Names no booking: kept for operators. `isNew` is false for a provider retry.
    case unmatched(UnmatchedTransaction, isNew: Bool)

    var isNewPayment: Bool {
        if case .payment(.recorded) = self { return true }
        return false
    }

    var isNewUnmatched: Bool {
        if case .unmatched(_, isNew: true) = self { return true }
        return false
    }
}

/// The one path every reported payment takes, whether from a webhook or the poller:
/// find its booking, record it durably, then announce it if it is the payment that confirmed
/// its booking (or, below a registered amount, that it is underpaid).
struct PaymentProcessor: Sendable {
    /// Payments, the registrations a transfer's memo is matched against, and transfers that
    /// name no booking: the parts of the ledger a reported payment touches.
    let ledger: any PaymentLedger & BookingRegistry & UnmatchedTransfers
    let announcer: any PaymentAnnouncer
    let watchList: BookingWatchList
    let resolver: BookingResolver
    let metrics: PayNotifyMetrics
    let logger: Logger
    /// Told of every newly recorded payment or unmatched transfer (which may have written a
    /// callback event), so the callback worker need not wait for its next look at the outbox.
    var onRecorded: @Sendable () -> Void = {}
    /// Told of every newly recorded payment and unmatched transfer, for the operator dashboard.
    var operatorFeed: (any OperatorFeed)?

    /// Ties a webhook's transaction to its booking and processes it; one that names no booking
    /// is recorded as unmatched and logged for operators. `webhookArrivedAt`: when the webhook
    /// reporting it arrived, for the webhook → emit latency.
    func handle(_ transaction: ReportedTransaction, webhookArrivedAt: ContinuousClock.Instant? = nil) async throws(PaymentProcessingError) -> TransactionOutcome {
        let match: BookingResolver.Match
        do {
            match = try await self.resolver.match(transaction, ledger: self.ledger)
        } catch {
            throw .notStored(error)
        }
        switch match.resolution {
        case .payment(let event):
            return .payment(try await self.process(event, registration: match.registration, webhookArrivedAt: webhookArrivedAt))
        case .unmatched(let unmatched):
            let isNew: Bool
            do {
                isNew = try await self.ledger.recordUnmatched(unmatched)
            } catch {
                throw .notStored(error)
            }
            if isNew {
                self.onRecorded()
                self.operatorFeed?.unmatchedRecorded(unmatched)
                self.logger.warning(
                    "Unmatched transfer recorded; reconcile it by hand (GET /api/unmatched)",
                    metadata: [
                        "provider": .string(unmatched.provider), "transaction": .string(unmatched.transactionID),
                        "amount": .string(unmatched.amount.description), "content": .string(unmatched.content), "reason": .string(unmatched.reason),
                    ]
                )
            }
            return .unmatched(unmatched, isNew: isNew)
        }
    }

    /// Records and, for a booking's confirming payment not yet announced, notifies. A success
    /// below the booking's registered amount is recorded `underpaid` and announced as such.
    /// `registration`: the booking's registration when the caller already read it.
    @discardableResult
    func process(
        _ reported: PaymentEvent,
        registration known: RegisteredBooking? = nil,
        webhookArrivedAt: ContinuousClock.Instant? = nil
    ) async throws(PaymentProcessingError) -> RecordOutcome {
        let recorded: RecordedPayment
        do {
            let started = ContinuousClock.now
            recorded = try await self.ledger.record(reported, registration: known)
            self.metrics.ledgerWritten(in: .now - started)
        } catch {
            throw .notStored(error)
        }
        let outcome = recorded.outcome
        let record = outcome.record
        let event = record.event
        if event.bookingID != reported.bookingID {
            self.logger.error(
                "Transaction already recorded for another booking; ignored",
                metadata: ["booking": .string(reported.bookingID), "transaction": .string(reported.transactionID), "recordedFor": .string(event.bookingID)]
            )
            return outcome
        }
        if record.role == .confirmation { self.watchList.markPaid(bookingID: event.bookingID) }
        if case .recorded = outcome {
            self.onRecorded()
            self.operatorFeed?.paymentRecorded(recorded)
            self.logNews(event, role: record.role, registration: recorded.registration)
            if event.status == .underpaid, let registration = recorded.registration {
                await self.announceUnderpaid(event, expected: registration)
            }
        }
        guard record.needsAnnouncement(for: event) else { return outcome }
        guard await self.announcer.announce(record) else {
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

    /// What operators should hear of a newly recorded payment: a second payment for a paid
    /// booking, one after its registration expired, one above its registered amount.
    private func logNews(_ event: PaymentEvent, role: PaymentRecord.Role, registration: RegisteredBooking?) {
        if role == .additionalPayment {
            self.logger.warning(
                "Second successful payment for an already paid booking; recorded, not announced",
                metadata: ["booking": .string(event.bookingID), "transaction": .string(event.transactionID), "provider": .string(event.provider)]
            )
        }
        guard let registration, event.status.isSuccess || event.status == .underpaid else { return }
        if let expiry = registration.expiresAt, event.receivedAt > expiry {
            self.logger.warning(
                "Payment after its booking's registration expired; recorded as usual",
                metadata: ["booking": .string(event.bookingID), "transaction": .string(event.transactionID), "expiredAt": .string(PaymentNotifications.timestamp(expiry))]
            )
        }
        if event.amount > registration.amount {
            self.logger.warning(
                "Overpaid booking; confirmed",
                metadata: [
                    "booking": .string(event.bookingID), "transaction": .string(event.transactionID),
                    "amount": .string(event.amount.description), "expected": .string(registration.amount.description),
                ]
            )
        }
    }

    /// Underpaid payments are not retried by the provider on a failed broadcast: the page still
    /// sees `underpaid` as the booking's status when it subscribes.
    private func announceUnderpaid(_ event: PaymentEvent, expected registration: RegisteredBooking) async {
        self.logger.warning(
            "Underpaid booking; not confirmed",
            metadata: [
                "booking": .string(event.bookingID), "transaction": .string(event.transactionID),
                "amount": .string(event.amount.description), "expected": .string(registration.amount.description),
            ]
        )
        if !(await self.announcer.announceUnderpaid(event, expected: registration)) {
            self.logger.error("Underpaid payment not announced to every node", metadata: ["booking": .string(event.bookingID)])
        }
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
