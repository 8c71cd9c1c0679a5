import Payments

/// A callback event as the events API shows it: its body's parts and its delivery state.
struct EventAnswer: Encodable {
    let id: String
    let type: String
    let bookingId: Nullable<String>
    let createdAt: String
    let data: [String: CallbackEvent.DataValue]
    /// `pending`, `delivered` or `failed`.
    let state: String
    let attempts: Int
    let nextAttemptAt: Nullable<String>
    /// Its cursor in `GET /api/events`.
    let sequence: String

    init(_ entry: OutboxEntry) {
        self.id = entry.event.id
        self.type = entry.event.kind.rawValue
        self.bookingId = Nullable(entry.event.bookingID)
        self.createdAt = PaymentNotifications.timestamp(entry.event.createdAt)
        self.data = entry.event.data
        self.state = entry.state.rawValue
        self.attempts = entry.attempts
        self.nextAttemptAt = Nullable(entry.nextAttemptAt.map(PaymentNotifications.timestamp))
        self.sequence = String(entry.sequence)
    }
}

/// One delivery attempt and the merchant's answer.
struct AttemptAnswer: Encodable {
    let number: Int
    let startedAt: String
    let statusCode: Nullable<Int>
    let error: Nullable<String>
    let durationMs: Int

    init(_ attempt: CallbackAttempt) {
        self.number = attempt.number
        self.startedAt = PaymentNotifications.timestamp(attempt.startedAt)
        self.statusCode = Nullable(attempt.statusCode)
        self.error = Nullable(attempt.error)
        self.durationMs = attempt.milliseconds
    }
}

/// `GET /api/events`: a page of events in the order they were written.
struct EventsPageAnswer: Encodable {
    let success = true
    let events: [EventAnswer]
    let next: Nullable<String>
    let hasMore: Bool
}

/// `GET /api/events/{id}` and `POST /api/events/{id}/redeliver`.
struct EventDetailAnswer: Encodable {
    let success = true
    let event: EventAnswer
    let deliveryAttempts: [AttemptAnswer]

    /// The entry with its attempts, read from the outbox.
    init(_ entry: OutboxEntry, outbox: any CallbackOutbox) async throws(LedgerError) {
        self.event = EventAnswer(entry)
        self.deliveryAttempts = try await outbox.callbackAttempts(ofEvent: entry.event.id).map(AttemptAnswer.init)
    }
}

/// The dashboard's list of events not delivered, newest first.
struct UndeliveredEventsAnswer: Encodable {
    let success = true
    let events: [EventAnswer]
}
