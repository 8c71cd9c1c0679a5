import EngineIO
import Foundation
import HTTPTypes
import NIOCore

/// A page on the polling transport, driven through an Engine.IO endpoint's HTTP side: the real
/// handshake, packets and rooms, without a network socket.
struct PollingPage {
    struct UnexpectedAnswer: Error, CustomStringConvertible {
        let description: String
    }

    private static let separator = "\u{1e}"
    let engine: EngineIOServer
    let sid: String

    /// Opens a session and connects it to the main namespace.
    static func connect(to engine: EngineIOServer) async throws -> PollingPage {
        let open = try await Self.request(engine, .get, query: "EIO=4&transport=polling")
        guard open.first == "0", let json = try JSONSerialization.jsonObject(with: Data(open.utf8.dropFirst())) as? [String: Any],
            let sid = json["sid"] as? String
        else { throw UnexpectedAnswer(description: "not an open packet: \(open)") }
        let page = PollingPage(engine: engine, sid: sid)
        try await page.send("40")
        let connected = try await page.poll()
        guard connected.first?.hasPrefix("40") == true else { throw UnexpectedAnswer(description: "not connected: \(connected)") }
        return page
    }

    func send(_ packet: String) async throws {
        let answer = try await Self.request(self.engine, .post, query: "EIO=4&transport=polling&sid=\(self.sid)", body: packet)
        guard answer == "ok" else { throw UnexpectedAnswer(description: "POST answered \(answer)") }
    }

    /// The Socket.IO packets of one poll (which waits until there is one).
    func poll() async throws -> [String] {
        let text = try await Self.request(self.engine, .get, query: "EIO=4&transport=polling&sid=\(self.sid)")
        return text.components(separatedBy: Self.separator)
    }

    /// Polls until a packet with `prefix` arrives; every packet received, in order. Gives up
    /// after a few polls (each ends at the latest with the server's ping).
    func poll(until prefix: String) async throws -> [String] {
        var packets: [String] = []
        for _ in 0..<4 {
            packets += try await self.poll()
            if packets.contains(where: { $0.hasPrefix(prefix) }) { return packets }
        }
        throw UnexpectedAnswer(description: "no \(prefix) packet in \(packets)")
    }

    private static func request(_ engine: EngineIOServer, _ method: HTTPRequest.Method, query: String, body: String = "") async throws -> String {
        let head = HTTPRequest(method: method, scheme: "http", authority: "localhost", path: "/socket.io/?\(query)")
        let response = await engine.respond(to: EngineIOHTTPRequest(head: head, remoteAddress: nil) { _ in ByteBuffer(string: body) })
        let text = String(buffer: response.body)
        guard response.head.status == .ok else { throw UnexpectedAnswer(description: "\(method) answered \(response.head.status): \(text)") }
        return text
    }
}
