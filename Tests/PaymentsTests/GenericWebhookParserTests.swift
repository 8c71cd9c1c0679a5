import Foundation
import Payments
import Testing

@Suite("Generic webhook parser")
struct GenericWebhookParserTests {
    let parser = GenericWebhookParser()

    @Test("The reference webhook body becomes a generic payment event")
    func referenceBody() throws {
        let receivedAt = Date(timeIntervalSince1970: 1_705_314_600)
        let body = #"{"bookingId":"test-booking-123","transactionId":"test-txn-456","amount":500000,"status":"success"}"#
        let event = try parser.parse(Data(body.utf8), receivedAt: receivedAt)
        #expect(GenericWebhookParser.provider == "generic")
        #expect(event.provider == "generic")
        #expect(event.bookingID == "test-booking-123")
        #expect(event.transactionID == "test-txn-456")
        #expect(event.amount == 500_000)
        #expect(event.status == .success)
        #expect(event.status.isSuccess)
        #expect(event.receivedAt == receivedAt)
    }

    @Test(
        "Amounts are exact, as the provider wrote them",
        arguments: ["500000", "10.5", "0.1", "0", "-0", "0.01", "123456789.123456789", "9007199254740993", "9223372036854775807", "99999999999999999999", "1e3", "2.50E-1"]
    )
    func exactAmounts(amount: String) throws {
        let body = #"{"bookingId":"b","transactionId":"t","amount":\#(amount),"status":"success"}"#
        #expect(try parser.parse(Data(body.utf8)).amount == decimal(amount))
    }

    @Test("Other statuses are kept as written; extra fields are ignored")
    func otherStatus() throws {
        let body = #"{"bookingId":"b","transactionId":"t","amount":1,"status":"failed","extra":{"x":[1,2]}}"#
        let event = try parser.parse(Data(body.utf8))
        #expect(event.status.rawValue == "failed")
        #expect(!event.status.isSuccess)
    }

    @Test("A booking id of exactly 128 characters is accepted")
    func longestBookingID() throws {
        let id = String(repeating: "é", count: 128)
        let body = #"{"bookingId":"\#(id)","transactionId":"t","amount":1,"status":"success"}"#
        #expect(try parser.parse(Data(body.utf8)).bookingID == id)
    }

    struct InvalidBody: Sendable, CustomTestStringConvertible {
        let name: String
        let body: String
        let message: String
        var testDescription: String { self.name }
    }

    static let longID = String(repeating: "a", count: 129)

    static let invalidBodies: [InvalidBody] = [
        .init(name: "not JSON", body: "not json", message: "body is not valid JSON"),
        .init(name: "empty body", body: "", message: "body is not valid JSON"),
        .init(name: "truncated JSON", body: #"{"bookingId":"b","#, message: "body is not valid JSON"),
        .init(name: "array", body: #"[{"bookingId":"b"}]"#, message: "body must be a JSON object, not an array"),
        .init(name: "string", body: #""hello""#, message: "body must be a JSON object, not a string"),
        .init(name: "number", body: "42", message: "body must be a JSON object, not a number"),
        .init(name: "boolean", body: "true", message: "body must be a JSON object, not a boolean"),
        .init(name: "null", body: "null", message: "body must be a JSON object, not null"),
        .init(name: "missing bookingId", body: #"{"transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId is required"),
        .init(name: "missing transactionId", body: #"{"bookingId":"b","amount":1,"status":"success"}"#, message: "transactionId is required"),
        .init(name: "missing status", body: #"{"bookingId":"b","transactionId":"t","amount":1}"#, message: "status is required"),
        .init(name: "missing amount", body: #"{"bookingId":"b","transactionId":"t","status":"success"}"#, message: "amount is required"),
        .init(name: "null bookingId", body: #"{"bookingId":null,"transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId is required"),
        .init(name: "null transactionId", body: #"{"bookingId":"b","transactionId":null,"amount":1,"status":"success"}"#, message: "transactionId is required"),
        .init(name: "null status", body: #"{"bookingId":"b","transactionId":"t","amount":1,"status":null}"#, message: "status is required"),
        .init(name: "null amount", body: #"{"bookingId":"b","transactionId":"t","amount":null,"status":"success"}"#, message: "amount is required"),
        .init(name: "bookingId number", body: #"{"bookingId":123,"transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId must be a string, not a number"),
        .init(name: "bookingId object", body: #"{"bookingId":{},"transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId must be a string, not an object"),
        .init(name: "transactionId number", body: #"{"bookingId":"b","transactionId":456,"amount":1,"status":"success"}"#, message: "transactionId must be a string, not a number"),
        .init(name: "status number", body: #"{"bookingId":"b","transactionId":"t","amount":1,"status":1}"#, message: "status must be a string, not a number"),
        .init(name: "amount string", body: #"{"bookingId":"b","transactionId":"t","amount":"500000","status":"success"}"#, message: "amount must be a number, not a string"),
        .init(name: "amount bool", body: #"{"bookingId":"b","transactionId":"t","amount":true,"status":"success"}"#, message: "amount must be a number, not a boolean"),
        .init(name: "amount array", body: #"{"bookingId":"b","transactionId":"t","amount":[1],"status":"success"}"#, message: "amount must be a number, not an array"),
        .init(name: "negative amount", body: #"{"bookingId":"b","transactionId":"t","amount":-1,"status":"success"}"#, message: "amount must not be negative"),
        .init(name: "negative fraction", body: #"{"bookingId":"b","transactionId":"t","amount":-0.01,"status":"success"}"#, message: "amount must not be negative"),
        .init(name: "empty bookingId", body: #"{"bookingId":"","transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId must not be empty"),
        .init(name: "empty transactionId", body: #"{"bookingId":"b","transactionId":"","amount":1,"status":"success"}"#, message: "transactionId must not be empty"),
        .init(name: "empty status", body: #"{"bookingId":"b","transactionId":"t","amount":1,"status":""}"#, message: "status must not be empty"),
        .init(
            name: "bookingId of 129 characters",
            body: #"{"bookingId":"\#(longID)","transactionId":"t","amount":1,"status":"success"}"#,
            message: "bookingId must be at most 128 characters"
        ),
        .init(
            name: "transactionId of 129 characters",
            body: #"{"bookingId":"b","transactionId":"\#(longID)","amount":1,"status":"success"}"#,
            message: "transactionId must be at most 128 characters"
        ),
        .init(
            name: "status of 33 characters",
            body: #"{"bookingId":"b","transactionId":"t","amount":1,"status":"\#(String(repeating: "s", count: 33))"}"#,
            message: "status must be at most 32 characters"
        ),
        .init(name: "bookingId with U+0001", body: #"{"bookingId":"a\u0001b","transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId must not contain control characters"),
        .init(name: "bookingId with newline", body: #"{"bookingId":"a\nb","transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId must not contain control characters"),
        .init(name: "bookingId with DEL", body: #"{"bookingId":"a\u007fb","transactionId":"t","amount":1,"status":"success"}"#, message: "bookingId must not contain control characters"),
    ]

    @Test("Invalid bodies are refused with a message for the sender", arguments: invalidBodies)
    func invalid(_ invalid: InvalidBody) {
        #expect(throws: InputValidationError(invalid.message)) {
            try parser.parse(Data(invalid.body.utf8))
        }
    }

    @Test("A body whose strings are not UTF-8 is refused, not repaired")
    func invalidUTF8() {
        var body = Data(#"{"bookingId":"b"#.utf8)
        body.append(contentsOf: [0xFF, 0xFE])
        body.append(Data(#"","transactionId":"t","amount":1,"status":"success"}"#.utf8))
        #expect(throws: InputValidationError("body is not valid JSON")) {
            try parser.parse(body)
        }
    }

    @Test("Escapes, exponents and whitespace are read as JSON defines them")
    func jsonGrammar() throws {
        let body = " {\n\t\"bookingId\" : \"b\\u00e9\\/1\", \"transactionId\":\"t\",\"amount\":1.5E+3, \"status\":\"success\"}\r\n"
        let event = try parser.parse(Data(body.utf8))
        #expect(event.bookingID == "bé/1")
        #expect(event.amount == 1500)
    }
}
