import Payments

@testable import PayNotifyServer

/// Records what payment processing announces, and answers as told whether every node was reached.
actor RecordingAnnouncer: PaymentAnnouncer {
    private(set) var confirmations: [PaymentRecord] = []
    private(set) var underpaid: [(payment: PaymentEvent, expected: RegisteredBooking)] = []
    private var reachesEveryNode = true

    /// From now on, every announcement misses another node (or, with false, reaches all again).
    func missOtherNodes(_ missing: Bool) {
        self.reachesEveryNode = !missing
    }

    func announce(_ confirmation: PaymentRecord) -> Bool {
        self.confirmations.append(confirmation)
        return self.reachesEveryNode
    }

    func announceUnderpaid(_ payment: PaymentEvent, expected: RegisteredBooking) -> Bool {
        self.underpaid.append((payment, expected))
        return self.reachesEveryNode
    }
}
