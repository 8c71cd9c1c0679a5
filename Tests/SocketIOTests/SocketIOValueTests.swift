import NIOCore
import Testing

@testable import SocketIO

@Suite("Socket.IO value")
struct SocketIOValueTests {
    @Test("Accessors return the value only for the matching kind")
    func accessors() {
        let value: SocketIOValue = ["name": "x", "count": 3, "ratio": 0.5, "ok": true, "list": [1], "nothing": nil]
        #expect(value["name"]?.stringValue == "x")
        #expect(value["count"]?.intValue == 3)
        #expect(value["count"]?.doubleValue == 3)
        #expect(value["ratio"]?.doubleValue == 0.5)
        #expect(value["ratio"]?.intValue == nil)
        #expect(value["ok"]?.boolValue == true)
        #expect(value["list"]?.arrayValue == [1])
        #expect(value["nothing"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["name"]?.intValue == nil)
        #expect(SocketIOValue.double(4).intValue == 4)
        #expect(SocketIOValue.string("x")["key"] == nil)
    }

    @Test("containsBinary looks through arrays and objects")
    func containsBinary() {
        let file = SocketIOValue.binary(ByteBuffer(bytes: [1]))
        #expect(file.containsBinary)
        #expect(SocketIOValue.array(["a", ["b": [file]]]).containsBinary)
        #expect(!SocketIOValue.array(["a", ["b": [1, nil]]]).containsBinary)
        #expect(!SocketIOValue.string("binary").containsBinary)
    }

    struct Payment: Codable, Equatable {
        var bookingId: String
        var amount: Double
        var paid: Bool
        var items: [Int]
    }

    @Test("Encodable and Decodable values convert through JSON")
    func codableRoundTrip() throws {
        let payment = Payment(bookingId: "b-1", amount: 12.5, paid: true, items: [1, 2])
        let value = try SocketIOValue(encoding: payment)
        #expect(value["bookingId"] == "b-1")
        #expect(value["amount"] == .double(12.5))
        #expect(value["items"] == [1, 2])
        #expect(try value.decode(as: Payment.self) == payment)
    }
}
