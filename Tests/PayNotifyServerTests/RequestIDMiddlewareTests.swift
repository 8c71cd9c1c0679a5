import Testing

@testable import PayNotifyServer

@Suite("Request ids")
struct RequestIDMiddlewareTests {
    @Test("A caller's id is kept when it is short and plain", arguments: ["a", "req-42", "3f2a_b.c:d", String(repeating: "x", count: 128)])
    func kept(id: String) {
        #expect(RequestID.sane(id) == id)
    }

    @Test("Anything else is replaced", arguments: ["", "has space", "new\nline", "quote\"", "é", String(repeating: "x", count: 129)])
    func replaced(id: String) {
        #expect(RequestID.sane(id) == nil)
    }
}
