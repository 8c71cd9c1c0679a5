import Synchronization

/// A booking some page is waiting on, and the memo its transfer carries.
public struct WatchedBooking: Sendable, Hashable {
    public let bookingID: String
    /// What the provider's status API is asked about; the booking id unless the page said otherwise.
    public let memo: String

    public init(bookingID: String, memo: String) {
        self.bookingID = bookingID
        self.memo = memo
    }
}

/// The bookings pages are waiting on. Watchers are counted (a booking stays watched until its
/// last page leaves); a booking that is watched and not yet paid is exactly what the poller asks
/// the provider about.
public final class BookingWatchList: Sendable {
    private struct Entry {
        var memo: String
        var watchers: Int
        var paid = false
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// One more watcher for the booking. The memo of its first watcher stays while the booking
    /// is watched, so a later page cannot redirect what the provider is asked about.
    public func watch(_ booking: WatchedBooking) {
        self.entries.withLock { entries in
            var entry = entries[booking.bookingID] ?? Entry(memo: booking.memo, watchers: 0)
            entry.watchers += 1
            entries[booking.bookingID] = entry
        }
    }

    /// One watcher fewer; the booking leaves the list with its last watcher.
    public func unwatch(bookingID: String) {
        self.entries.withLock { entries in
            guard var entry = entries[bookingID] else { return }
            entry.watchers -= 1
            entries[bookingID] = entry.watchers > 0 ? entry : nil
        }
    }

    /// The booking is paid: nobody needs to poll for it any more.
    public func markPaid(bookingID: String) {
        self.entries.withLock { $0[bookingID]?.paid = true }
    }

    /// Watched bookings not known to be paid.
    public var awaitingPayment: [WatchedBooking] {
        self.entries.withLock { entries in
            entries.compactMap { $0.value.paid ? nil : WatchedBooking(bookingID: $0.key, memo: $0.value.memo) }
        }
    }

    public func isAwaitingPayment(bookingID: String) -> Bool {
        self.entries.withLock { $0[bookingID].map { !$0.paid } ?? false }
    }

    /// Number of bookings with at least one watcher.
    public var watchedCount: Int { self.entries.withLock { $0.count } }
}
