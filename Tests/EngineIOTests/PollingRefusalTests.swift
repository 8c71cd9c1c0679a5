import HTTPTypes
import NIOCore
import Testing

import EngineIO

@Suite("Refused polling requests")
struct PollingRefusalTests {
    private struct BodyTooLarge: Error {}

    private struct Silent: EngineIOSessionDelegate {
        func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {}
        func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
    }

    private func request(_ server: EngineIOServer, _ method: HTTPRequest.Method, query: String, body: String = "") async -> EngineIOHTTPResponse {
        let head = HTTPRequest(method: method, scheme: "http", authority: "localhost", path: "/engine.io/?\(query)")
        return await server.respond(
            to: EngineIOHTTPRequest(head: head, remoteAddress: nil) { maximumBytes in
                guard body.utf8.count <= maximumBytes else { throw BodyTooLarge() }
                return ByteBuffer(string: body)
            }
        )
    }

    @Test("A POST over maxPayload is answered 413 with an empty body, and the session left for the client to close, as Node's server does")
    func payloadTooLarge() async throws {
        let server = EngineIOServer(configuration: .init(path: "/engine.io/", maxPayload: 100)) { _ in Silent() }
        let handshake = String(buffer: await self.request(server, .get, query: "EIO=4&transport=polling").body)
        let sid = try #require(handshake.firstMatch(of: /"sid":"([^"]+)"/)?.1)
        let answer = await self.request(server, .post, query: "EIO=4&transport=polling&sid=\(sid)", body: "4" + String(repeating: "a", count: 101))
        #expect(answer.head.status == .contentTooLarge)
        #expect(answer.body.readableBytes == 0)
        #expect(answer.head.headerFields[.contentType] == nil)
        #expect(server.session(id: String(sid))?.isOpen == true)
    }

    @Test("Other refusals keep their JSON body")
    func unknownSession() async {
        let server = EngineIOServer(configuration: .init(path: "/engine.io/")) { _ in Silent() }
        let answer = await self.request(server, .get, query: "EIO=4&transport=polling&sid=unknown")
        #expect(answer.head.status == .badRequest)
        #expect(String(buffer: answer.body) == #"{"code":1,"message":"Session ID unknown"}"#)
        #expect(answer.head.headerFields[.contentType] == "application/json")
    }
}
