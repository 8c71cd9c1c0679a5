/// The rules every booking id must follow, wherever it comes from (webhook, socket, poller).
public enum BookingID {
    public static let maximumLength = 128

    /// Why a booking id is refused, phrased for the client.
    public static func problem(with candidate: String) -> String? {
        if candidate.isEmpty { return "bookingId must not be empty" }
        if candidate.count > Self.maximumLength { return "bookingId must be at most \(Self.maximumLength) characters" }
        if candidate.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "bookingId must not contain control characters"
        }
        return nil
    }
}
