/// What recording an event did.
public enum RecordOutcome: Sendable, Hashable {
    /// First time this transaction was seen, or it moved on from a non-success status.
    case recorded(PaymentRecord)
    /// The transaction was already recorded so (a provider retry); the earlier record.
    case duplicate(PaymentRecord)

    public var record: PaymentRecord {
        switch self {
        case .recorded(let record), .duplicate(let record): record
        }
    }

    /// Whether this event is the one that confirms its booking, and so must be announced.
    public var confirmsBooking: Bool {
        if case .recorded(let record) = self { return record.role == .confirmation }
        return false
    }
}
