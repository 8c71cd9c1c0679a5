import Testing

@testable import SocketIO

/// The error structs keep the spelling their enums had: static members, `==`, `catch` by name,
/// and the same text where it is sent to clients.
@Suite("Socket.IO's error structs")
struct SocketIOErrorTests {
    struct Unrelated: Error {}

    static func failing(_ error: SocketIOAckError) async throws(SocketIOAckError) {
        throw error
    }

    static func unrelated(throwing: Bool) throws {
        if throwing { throw Unrelated() }
    }

    @Test("SocketIOAckError: == and switch on its static members, catch by name where the error is any Error")
    func ackErrorSpelling() async {
        #expect(SocketIOAckError.timeout == .timeout)
        #expect(SocketIOAckError.timeout != .disconnected)
        switch SocketIOAckError.disconnected {
        case .timeout: Issue.record("matched the wrong member")
        case .disconnected: break
        default: Issue.record("matched no member")
        }
        for (thrown, expected) in [(SocketIOAckError.timeout, "timeout"), (.disconnected, "disconnected")] {
            do {
                // An untyped throw in the same `do` makes the caught error `any Error`.
                try Self.unrelated(throwing: false)
                try await Self.failing(thrown)
                Issue.record("nothing thrown")
            } catch SocketIOAckError.timeout {
                #expect(expected == "timeout")
            } catch SocketIOAckError.disconnected {
                #expect(expected == "disconnected")
            } catch {
                Issue.record("not caught by name: \(error)")
            }
            // The conformance server sends `"\(error)"` to interop clients: the enum's text.
            #expect("\(thrown)" == expected)
        }
    }

    @Test("SocketIOArgumentError: missing(index:) compares by index and says which")
    func argumentError() {
        let event = SocketIOEvent(name: "sum", arguments: [1], ack: nil)
        #expect(throws: SocketIOArgumentError.missing(index: 1)) {
            try event.argument(1, as: Int.self)
        }
        #expect(SocketIOArgumentError.missing(index: 1) != .missing(index: 2))
        #expect(SocketIOArgumentError.missing(index: 1).index == 1)
        #expect("\(SocketIOArgumentError.missing(index: 1))" == "the event has no argument 1")
    }

    @Test("Reasons compare with their values; descriptions are unchanged")
    func reasons() {
        #expect(JSONParsingError.Reason.tooDeeplyNested(limit: 128) == .tooDeeplyNested(limit: 128))
        #expect(JSONParsingError.Reason.tooDeeplyNested(limit: 128) != .tooDeeplyNested(limit: 64))
        #expect(JSONParsingError.Reason.unexpectedCharacter(UInt8(ascii: "x")) != .unexpectedEnd)
        #expect("\(JSONParsingError(reason: .unexpectedCharacter(UInt8(ascii: "x")), offset: 3))" == "unexpected character 'x' at byte 3")
        let json = JSONParsingError(reason: .unexpectedEnd, offset: 4)
        #expect(SocketIOPacketDecodingError.Reason.invalidJSON(json) == .invalidJSON(json))
        #expect(SocketIOPacketDecodingError.Reason.invalidPayload("a") != .invalidPayload("b"))
        #expect("\(SocketIOPacketDecodingError(.invalidJSON(json)))" == "invalid JSON payload: unexpected end of JSON at byte 4")
        #expect("\(SocketIOPacketDecodingError(.tooManyAttachments(limit: 2)))" == "more than 2 attachments")
    }
}
