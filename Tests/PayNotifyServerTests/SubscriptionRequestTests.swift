import Foundation
import Payments
import SocketIO
import Testing

@testable import PayNotifyServer

@Suite("Subscription request")
struct SubscriptionRequestTests {
    @Test("A booking id alone: no memo")
    func withoutMemo() throws {
        let request = try SubscriptionRequest(["bookingId": "test-booking-123"])
        #expect(request.bookingID == "test-booking-123")
        #expect(request.memo == nil)
    }

    @Test("A booking id and a memo")
    func withMemo() throws {
        let request = try SubscriptionRequest(["bookingId": "b1", "memo": "PAY B1 7731"])
        #expect(request.bookingID == "b1")
        #expect(request.memo == "PAY B1 7731")
    }

    @Test("A null memo is no memo; other members are ignored")
    func nullMemo() throws {
        let request = try SubscriptionRequest(["bookingId": "b1", "memo": nil, "token": "x"])
        #expect(request.bookingID == "b1")
        #expect(request.memo == nil)
    }

    @Test("A booking id and a memo of 128 characters are accepted")
    func longest() throws {
        let id = String(repeating: "x", count: 128)
        let request = try SubscriptionRequest(["bookingId": .string(id), "memo": .string(id)])
        #expect(request.bookingID == id)
        #expect(request.memo == id)
    }

    static let long = String(repeating: "x", count: 129)

    @Test(
        "Invalid payloads are refused with a message for the client",
        arguments: [
            (nil, "payload must be an object with a bookingId"),
            (SocketIOValue.null, "payload must be an object with a bookingId"),
            ("test-booking-123", "payload must be an object with a bookingId"),
            (42, "payload must be an object with a bookingId"),
            (["bookingId", "b1"], "payload must be an object with a bookingId"),
            ([:], "bookingId is required"),
            (["memo": "m"], "bookingId is required"),
            (["bookingId": nil], "bookingId is required"),
            (["bookingId": 123], "bookingId must be a string"),
            (["bookingId": true], "bookingId must be a string"),
            (["bookingId": ["id": "b1"]], "bookingId must be a string"),
            (["bookingId": ""], "bookingId must not be empty"),
            (["bookingId": .string(long)], "bookingId must be at most 128 characters"),
            (["bookingId": "b\u{0}1"], "bookingId must not contain control characters"),
            (["bookingId": "b\n1"], "bookingId must not contain control characters"),
            (["bookingId": "b1", "memo": 7], "memo must be a string"),
            (["bookingId": "b1", "memo": ["x"]], "memo must be a string"),
            (["bookingId": "b1", "memo": ""], "memo must not be empty"),
            (["bookingId": "b1", "memo": .string(long)], "memo must be at most 128 characters"),
            (["bookingId": "b1", "memo": "a\u{7}b"], "memo must not contain control characters"),
        ] as [(SocketIOValue?, String)]
    )
    func invalid(payload: SocketIOValue?, message: String) {
        #expect(throws: InputValidationError(message)) {
            try SubscriptionRequest(payload)
        }
    }
}
