/// Decides which poller asks about a booking. A single node polls everything it watches; a
/// cluster shares leases so each booking is polled by one node at a time.
public protocol PollLease: Sendable {
    /// Whether this node may poll the booking now; holding it for `duration` (renewed by the
    /// next call), after which another node may take over.
    func acquire(bookingID: String, for duration: Duration) async -> Bool
}

/// The single-node lease: always granted.
public struct LocalPollLease: PollLease {
    public init() {}

    public func acquire(bookingID: String, for duration: Duration) async -> Bool { true }
}
