import EngineIO
import HTTPTypes
import HummingbirdCore
import NIOCore

/// What the suites' Node servers do in `allowRequest` and `initial_headers` hooks, which the
/// library's endpoints have no counterpart for: done around the HTTP requests before the
/// endpoints answer them. (Websocket handshakes never reach a responder: they are delayed by
/// `WebSocketHandshakeDelayChannel`, and given no cookies, as no suite test needs them there.)
struct ClientSuiteHooks: Sendable {
    /// The engine.io-client suite's endpoint.
    let raw: EngineIOServer
    /// The socket.io-client suite's endpoint.
    let socketIO: EngineIOServer

    /// How long the socket.io-client suite's server waits before admitting a session, so that
    /// a client with `timeout: 0` times out first.
    static let admissionDelay: Duration = .milliseconds(10)

    func wrapping(_ next: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            let path = request.uri.path
            let opensSession = request.method == .get && request.uri.queryParameters["sid"] == nil
            if opensSession, self.socketIO.matches(path: path) {
                try await Task.sleep(for: Self.admissionDelay)
                try await next(request, writer, channel)
            } else if opensSession, self.raw.matches(path: path), request.headers[.upgrade] == nil {
                try await self.answerWithCookies(request, writer, channel)
            } else if request.method == .post, self.raw.matches(path: path) {
                var writer = Optional(writer)
                try await EngineIOClientSuite.$postHeaders.withValue(request.headers) {
                    try await next(request, writer.take()!, channel)
                }
            } else {
                try await next(request, writer, channel)
            }
        }
    }

    /// A polling handshake of the engine.io-client suite's endpoint, answered with its cookies.
    private func answerWithCookies(_ request: Request, _ writer: consuming ResponseWriter, _ channel: any Channel) async throws {
        let answer = await self.raw.respond(
            to: EngineIOHTTPRequest(head: request.head, remoteAddress: channel.remoteAddress) { maximumBytes in
                try await request.body.collect(upTo: maximumBytes)
            }
        )
        var head = answer.head
        if head.status == .ok { head.headerFields.append(contentsOf: EngineIOClientSuite.handshakeCookies()) }
        head.headerFields[.contentLength] = String(answer.body.readableBytes)
        try await writer.write(response: head, body: ResponseBody(byteBuffer: answer.body))
    }
}
