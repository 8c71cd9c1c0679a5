import Testing

@testable import PayNotifyServer

struct BookingRoomTests {
    @Test("A booking's room is booking_<id>, and the id comes back from the room", arguments: ["test-booking-123", "b", "booking_x", "ĐơnHàng-42"])
    func roomRoundTrip(bookingID: String) {
        let room = BookingRoom(bookingID: bookingID)
        #expect(room.name == "booking_\(bookingID)")
        #expect(BookingRoom(name: room.name) == room)
    }

    @Test("Rooms that are not booking rooms have no booking", arguments: ["lobby", "booking", "Booking_1", "bookings_1", "x_booking_1", ""])
    func otherRooms(room: String) {
        #expect(BookingRoom(name: room) == nil)
    }
}
