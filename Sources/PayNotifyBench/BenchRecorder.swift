import NIOCore
import Synchronization

/// What the bench's sockets saw, shared by every connection's handler (on any event loop) and
/// the scenario that reads it.
final class BenchRecorder: Sendable {
    private struct Deliveries {
        /// When each booking's webhook was sent, by booking id.
        var sentAt: [String: NIODeadline] = [:]
        /// Webhook sent → `transaction_success` received, one entry per socket that got it
        /// (its first copy: later ones are counted in `tally.duplicates`).
        var latencies: [Duration] = []
        /// When the last delivery of each booking arrived.
        var lastDelivery: [String: NIODeadline] = [:]
        var tally = DeliveryTally()
    }

    private let deliveries = Mutex(Deliveries())
    private let droppedConnections = Atomic<Int>(0)
    private let pingsAnswered = Atomic<Int>(0)
    private let textFrames = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    /// A webhook for `booking` is about to be sent.
    func webhookSent(for booking: String, at time: NIODeadline) {
        self.deliveries.withLock { $0.sentAt[booking] = time }
    }

    /// A socket received its first `transaction_success` for `booking`, one of its bookings.
    func delivered(_ booking: String, at time: NIODeadline) {
        self.deliveries.withLock { deliveries in
            guard let sent = deliveries.sentAt[booking] else {
                deliveries.tally.unexpected += 1
                return
            }
            deliveries.tally.delivered += 1
            deliveries.latencies.append(.nanoseconds((time - sent).nanoseconds))
            deliveries.lastDelivery[booking] = max(time, deliveries.lastDelivery[booking] ?? time)
        }
    }

    /// A socket received `transaction_success` for a booking it already had it for.
    func deliveredAgain() {
        self.deliveries.withLock { $0.tally.duplicates += 1 }
    }

    /// A socket received `transaction_success` for a booking it does not watch.
    func deliveredToStranger() {
        self.deliveries.withLock { $0.tally.unexpected += 1 }
    }

    /// Any websocket text frame: what the bench's own CPU time is divided by.
    func textFrameReceived() {
        self.textFrames.add(1, ordering: .relaxed)
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
    var framesReceived: Int { self.textFrames.load(ordering: .relaxed) }
    var latencies: [Duration] { self.deliveries.withLock { $0.latencies } }
    var tally: DeliveryTally { self.deliveries.withLock { $0.tally } }

    /// The latencies recorded after the first `count`, in arrival order: one step's, when
    /// steps do not overlap.
    func latencies(after count: Int) -> [Duration] {
        self.deliveries.withLock { Array($0.latencies.dropFirst(count)) }
    }

    /// When the webhook for `booking` was sent.
    func sentTime(of booking: String) -> NIODeadline? {
        self.deliveries.withLock { $0.sentAt[booking] }
    }

    /// When the last socket's delivery for `booking` arrived.
    func lastDelivery(of booking: String) -> NIODeadline? {
        self.deliveries.withLock { $0.lastDelivery[booking] }
    }
}
