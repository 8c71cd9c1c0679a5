import Foundation
import Logging
import SocketIO
import SocketIOTesting
import Testing

private struct Booking: Codable, Equatable {
    struct Guest: Codable, Equatable {
        let name: String
        let nights: Int
    }

    let id: String
    let amount: Decimal
    let paidAt: Date
    let guests: [Guest]
    let note: String?
}

@Suite("Encodable values out, Decodable arguments in")
struct SocketIOCodableTests {
    /// A date with whole milliseconds, as a JavaScript `Date` holds it: 2026-12-02T00:15:09.123Z.
    static let paidAt = Date(timeIntervalSince1970: 1_796_170_509.123)

    @Test("A nested value round-trips, its date as JavaScript writes one")
    func roundTrip() throws {
        let booking = Booking(id: "BK-1", amount: 500_000, paidAt: Self.paidAt, guests: [.init(name: "An", nights: 2)], note: nil)
        let value = try SocketIOValue(encoding: booking)
        #expect(value.jsonString.contains(#""paidAt":"2026-12-02T00:15:09.123Z""#), "\(value.jsonString)")
        #expect(try value.decode(as: Booking.self) == booking)
    }

    @Test("Dates a client sends decode with or without milliseconds; anything else is refused", arguments: [
        ("2026-12-02T00:15:09.123Z", 1_796_170_509.123),
        ("2026-12-02T00:15:09Z", 1_796_170_509.0),
    ])
    func clientDates(text: String, seconds: Double) throws {
        struct Stamp: Decodable { let at: Date }
        let stamp = try SocketIOValue(json: #"{"at":"\#(text)"}"#).decode(as: Stamp.self)
        #expect(abs(stamp.at.timeIntervalSince1970 - seconds) < 0.0005)
        #expect(throws: DecodingError.self) { try SocketIOValue(json: #"{"at":1796170509}"#).decode(as: Stamp.self) }
        #expect(throws: DecodingError.self) { try SocketIOValue(json: #"{"at":"yesterday"}"#).decode(as: Stamp.self) }
    }

    @Test("A handler taking a Decodable gets it decoded; a wrong shape never reaches it and the ack says so")
    func typedHandler() async throws {
        let io = SocketIOServer(logger: Logger(label: "codable-tests"))
        io.main.onConnection { socket in
            socket.on("book", as: Booking.self) { booking, event in
                event.ack?(try! SocketIOValue(encoding: booking))
            }
        }
        let client = try await SocketIOTestClient.connect(to: io)
        let good = try SocketIOValue(json: #"{"id":"BK-2","amount":1.5,"paidAt":"2026-12-02T00:15:09.123Z","guests":[]}"#)
        let echoed = try #require(try await client.emitWithAck("book", good).first)
        #expect(try echoed.decode(as: Booking.self) == Booking(id: "BK-2", amount: 1.5, paidAt: Self.paidAt, guests: [], note: nil))
        #expect(try await client.emitWithAck("book", ["id": 3]) == [["error": "invalid payload"]])
    }
}
