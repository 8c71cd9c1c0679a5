import NIOCore
import Synchronization

/// What the bench's sockets saw, shared by every connection's handler (on any event loop) and
/// the scenario that reads it.
final class BenchRecorder: Sendable {
    private struct Deliveries {
        /// When each booking's webhook was sent, by booking id.
        var sentAt: [String: NIODeadline] = [:]
        /// Webhook sent → `transaction_success` received, one entry per socket that got it.
        var latencies: [Duration] = []
        /// When the last delivery of each booking arrived.
        var lastDelivery: [String: NIODeadline] = [:]
        var unexpected = 0
    }

    private let deliveries = Mutex(Deliveries())
    private let droppedConnections = Atomic<Int>(0)
    private let pingsAnswered = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    /// A webhook for `booking` is about to be sent.
    func webhookSent(for booking: String, at time: NIODeadline) {
        self.deliveries.withLock { $0.sentAt[booking] = time }
    }

    func delivered(_ booking: String, at time: NIODeadline) {
        self.deliveries.withLock { deliveries in
            guard let sent = deliveries.sentAt[booking] else {
                deliveries.unexpected += 1
                return
            }
            deliveries.latencies.append(.nanoseconds((time - sent).nanoseconds))
            deliveries.lastDelivery[booking] = max(time, deliveries.lastDelivery[booking] ?? time)
        }
    }

    func pingAnswered() {
        self.pingsAnswered.add(1, ordering: .relaxed)
    }

    /// A connection that was subscribed closed while the bench was not stopping.
    func connectionLost() {
        if !self.stopping.load(ordering: .relaxed) { self.droppedConnections.add(1, ordering: .relaxed) }
    }

    /// From now on, closed connections are the bench's doing, not drops.
    func beginStopping() {
        self.stopping.store(true, ordering: .relaxed)
    }

    var drops: Int { self.droppedConnections.load(ordering: .relaxed) }
    var pings: Int { self.pingsAnswered.load(ordering: .relaxed) }
    var latencies: [Duration] { self.deliveries.withLock { $0.latencies } }
    var deliveryCount: Int { self.deliveries.withLock { $0.latencies.count } }
    var unexpectedDeliveries: Int { self.deliveries.withLock { $0.unexpected } }

    /// Webhook sent → last socket's delivery, for one booking.
    func lastDeliveryDelay(of booking: String) -> Duration? {
        self.deliveries.withLock { deliveries in
            guard let sent = deliveries.sentAt[booking], let last = deliveries.lastDelivery[booking] else { return nil }
            return .nanoseconds((last - sent).nanoseconds)
        }
    }
}
