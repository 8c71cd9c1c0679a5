import EngineIO
import HTTPTypes
import HummingbirdCore
import NIOCore

/// Answers the requests addressed to an Engine.IO endpoint's path (polling, handshakes, CORS
/// preflights) before Hummingbird's router sees them, as Node's engine.io does on an HTTP
/// server; every other request goes to `next`. The peer's address comes from the channel, so
/// any request context works.
struct EngineIOResponder: Sendable {
    let servers: [EngineIOServer]
    let next: HTTPChannelHandler.Responder

    func respond(_ request: Request, _ writer: consuming ResponseWriter, _ channel: any Channel) async throws {
        guard let server = self.servers.first(where: { $0.matches(path: request.uri.path) }) else {
            try await self.next(request, writer, channel)
            return
        }
        if request.headers[.upgrade]?.lowercased() == "websocket" {
            // Only a connection's first request can be upgraded: the client is sent to the same
            // URL on a new connection.
            try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: request.head.path ?? "/"]))
            throw LateUpgradeRedirected()
        }
        let answer = await server.respond(
            to: EngineIOHTTPRequest(head: request.head, remoteAddress: channel.remoteAddress) { maximumBytes in
                try await request.body.collect(upTo: maximumBytes)
            }
        )
        var head = answer.head
        head.headerFields[.contentLength] = String(answer.body.readableBytes)
        // Hummingbird closes a `Connection: close` request's connection after the answer without
        // saying so; a client whose agent keeps sockets alive (Node ≥ 19's fetch, so polling
        // clients built on it) would reuse the closed socket and see "socket hang up".
        if let connection = request.headers[.connection], connection.lowercased().contains("close") {
            head.headerFields[.connection] = "close"
        }
        try await writer.write(response: head, body: ResponseBody(byteBuffer: answer.body))
    }

    /// Ends the connection after a redirected late upgrade.
    private struct LateUpgradeRedirected: Error {}
}
