import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The long-polling start of the default transport path, on one keep-alive HTTP connection, as
/// the official client takes it: the handshake, the CONNECT over polling and its answer, then a
/// poll left pending while the websocket probes (the server ends it with `noop`).
///
/// Async, unlike the websocket clients: it lives for a few round trips per connection.
struct PollingExchange {
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    private var responses: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let target: BenchTarget
    private let requestHeaders: BenchRequestHeaders
    /// The session id, once the handshake is done.
    private(set) var sessionID = ""

    /// Runs `body` with an exchange on a new connection from `localAddress`, then closes it.
    static func with<Result: Sendable>(
        target: BenchTarget,
        requestHeaders: BenchRequestHeaders,
        group: any EventLoopGroup,
        from localAddress: SocketAddress?,
        _ body: (inout PollingExchange) async throws -> Result
    ) async throws -> Result {
        var bootstrap = ClientBootstrap(group: group)
        if let localAddress {
            bootstrap = bootstrap.channelOption(BenchConnector.bindAddressNoPort, value: 1).bind(to: localAddress)
        }
        let channel = try await bootstrap.connect(to: target.address) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
            }
        }
        // Bounded like the websocket: a poll never answered fails the connection.
        let deadline = channel.channel.eventLoop.scheduleTask(in: .seconds(30)) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            var exchange = PollingExchange(outbound: outbound, responses: inbound.makeAsyncIterator(), target: target, requestHeaders: requestHeaders)
            return try await body(&exchange)
        }
    }

    /// The handshake and the CONNECT to `/`: returns once the server's CONNECT answer arrived.
    mutating func connect() async throws {
        let open = try await self.exchange(.GET)
        guard open.hasPrefix("0"), let sid = Self.sessionID(in: open) else { throw BenchError.pollingFailed("handshake answered \(open.prefix(80))") }
        self.sessionID = sid
        let posted = try await self.exchange(.POST, body: "40")
        guard posted == "ok" else { throw BenchError.pollingFailed("CONNECT answered \(posted.prefix(80))") }
        let answer = try await self.exchange(.GET)
        guard answer.hasPrefix("40") else { throw BenchError.connectRefused(String(answer.prefix(80))) }
    }

    /// Sends the poll that stays pending during the upgrade.
    func startPoll() async throws {
        try await self.send(.GET, body: nil)
    }

    /// The pending poll's answer: `noop` once the probe was answered.
    mutating func finishPoll() async throws {
        let answer = try await self.readResponse()
        guard answer == "6" else { throw BenchError.pollingFailed("pending poll answered \(answer.prefix(80)) instead of noop") }
    }

    private mutating func exchange(_ method: HTTPMethod, body: String? = nil) async throws -> String {
        try await self.send(method, body: body)
        return try await self.readResponse()
    }

    private func send(_ method: HTTPMethod, body: String?) async throws {
        let sid = self.sessionID.isEmpty ? "" : "&sid=\(self.sessionID)"
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: self.target.pollingPath + sid)
        head.headers.add(name: "Host", value: self.target.hostHeader)
        self.requestHeaders.add(to: &head.headers)
        if let body {
            head.headers.add(name: "Content-Type", value: "text/plain;charset=UTF-8")
            head.headers.add(name: "Content-Length", value: "\(body.utf8.count)")
            try await self.outbound.write(contentsOf: [.head(head), .body(.byteBuffer(ByteBuffer(string: body))), .end(nil)])
        } else {
            try await self.outbound.write(contentsOf: [.head(head), .end(nil)])
        }
    }

    private mutating func readResponse() async throws -> String {
        var status: HTTPResponseStatus?
        var body = ByteBuffer()
        while let part = try await self.responses.next() {
            switch part {
            case .head(let head): status = head.status
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end:
                guard status == .ok else { throw BenchError.pollingFailed("HTTP \(status?.code ?? 0): \(String(buffer: body).prefix(80))") }
                return String(buffer: body)
            }
        }
        throw BenchError.closedBeforeSubscribing
    }

    private static func sessionID(in open: String) -> String? {
        guard let key = open.range(of: #""sid":""#), let end = open[key.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(open[key.upperBound..<end])
    }
}
