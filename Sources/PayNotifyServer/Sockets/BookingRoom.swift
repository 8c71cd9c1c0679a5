/// The Socket.IO room a booking's watchers are in: `booking_<id>`. The one place its name is
/// made and read, so subscriptions join the room announcements are sent to.
struct BookingRoom: Hashable, Sendable {
    private static let prefix = "booking_"

    let bookingID: String

    init(bookingID: String) {
        self.bookingID = bookingID
    }

    /// The booking room with this name; nil for any other room (a socket's own, the dashboard's).
    init?(name: String) {
        guard name.hasPrefix(Self.prefix) else { return nil }
        self.bookingID = String(name.dropFirst(Self.prefix.count))
    }

    var name: String { Self.prefix + self.bookingID }
}
