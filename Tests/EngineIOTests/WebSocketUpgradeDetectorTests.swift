import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import EngineIO

/// Collects what reaches the end of the pipeline.
private final class Recorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var received = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        self.received.writeBuffer(&bytes)
    }
}

/// A detector for `/socket.io/` whose HTTP server is `recorder`, installed when `installed`
/// completes (at once by default, as Hummingbird's HTTP/1.1 channel does).
private func makeChannel(
    recorder: Recorder,
    delegate: any EngineIOSessionDelegate = NoDelegate(),
    installed: ((EmbeddedChannel) -> EventLoopFuture<Void>)? = nil
) throws -> (EmbeddedChannel, EventLoopFuture<WebSocketUpgradeDetector.Outcome>) {
    let channel = EmbeddedChannel()
    let server = EngineIOServer(eventLoopGroup: channel.embeddedEventLoop, logger: Logger(label: "test")) { _ in delegate }
    let decided = channel.eventLoop.makePromise(of: WebSocketUpgradeDetector.Outcome.self)
    let detector = WebSocketUpgradeDetector(servers: [server], maximumHeadBytes: 8192, decided: decided) { _ in
        let ready = installed?(channel) ?? channel.eventLoop.makeSucceededVoidFuture()
        return ready.assumeIsolated().flatMapThrowing { try channel.pipeline.syncOperations.addHandler(recorder) }.nonisolated()
    }
    try channel.pipeline.syncOperations.addHandler(detector)
    return (channel, decided.futureResult)
}

private final class NoDelegate: EngineIOSessionDelegate {
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {}
    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
}

/// Keeps the messages a session received.
private final class MessageRecorder: EngineIOSessionDelegate {
    let messages = Mutex<[EngineIOMessage]>([])

    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {
        self.messages.withLock { $0.append(message) }
    }

    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
}

/// A websocket upgrade request for a new Engine.IO session at `/socket.io/`.
private func upgradeRequest(query: String = "") -> ByteBuffer {
    ByteBuffer(string: [
        "GET /socket.io/?EIO=4&transport=websocket\(query) HTTP/1.1", "Host: x", "Connection: Upgrade", "Upgrade: websocket",
        "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "", "",
    ].joined(separator: "\r\n"))
}

/// A client's (masked) websocket text frame.
private func clientTextFrame(_ text: String) -> ByteBuffer {
    let payload = Array(text.utf8)
    precondition(payload.count < 126)
    let mask: [UInt8] = [1, 2, 3, 4]
    return ByteBuffer(bytes: [0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
}

@Suite("First request of a connection: websocket upgrade or HTTP")
struct WebSocketUpgradeDetectorTests {
    @Test("A plain request, arriving in pieces, reaches the HTTP pipeline byte for byte")
    func plainRequestHandedOver() throws {
        let recorder = Recorder()
        let (channel, decided) = try makeChannel(recorder: recorder)
        let request = "POST /webhook/payment HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
        try channel.writeInbound(ByteBuffer(string: String(request.prefix(10))))
        try channel.writeInbound(ByteBuffer(string: String(request.dropFirst(10))))
        #expect(String(buffer: recorder.received) == request)
        guard case .http = try decided.wait() else {
            Issue.record("expected the HTTP pipeline")
            return
        }
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: WebSocketUpgradeDetector.self) }
        _ = try? channel.finish()
    }

    @Test("An Engine.IO websocket is answered 101, its open packet in the same write, and served by the Engine.IO handler")
    func engineIOUpgrade() throws {
        let (channel, decided) = try makeChannel(recorder: Recorder())
        try channel.writeInbound(upgradeRequest())
        guard case .webSocket = try decided.wait() else {
            Issue.record("expected a websocket")
            return
        }
        let response = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: response).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        let open = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: open).contains(#""upgrades":[]"#))
        _ = try channel.pipeline.syncOperations.handler(type: EngineIOWebSocketHandler.self)
        _ = try? channel.finish()
    }

    @Test("A text frame carrying a base64 binary message (a forceBase64 client's) reaches the session as binary")
    func base64BinaryMessage() throws {
        let delegate = MessageRecorder()
        let (channel, decided) = try makeChannel(recorder: Recorder(), delegate: delegate)
        try channel.writeInbound(upgradeRequest(query: "&b64=1"))
        guard case .webSocket = try decided.wait() else {
            Issue.record("expected a websocket")
            return
        }
        try channel.writeInbound(clientTextFrame("bAAECAwQ="))
        try channel.writeInbound(clientTextFrame("4text"))
        #expect(delegate.messages.withLock { $0 } == [.binary(ByteBuffer(bytes: [0, 1, 2, 3, 4])), .text("text")])
        _ = try? channel.finish()
    }

    @Test("A head split across reads is kept in the detector's own buffer: NIO can reuse each read's buffer")
    func splitHeadLeavesReadBuffers() throws {
        let (channel, decided) = try makeChannel(recorder: Recorder())
        let request = Array(upgradeRequest().readableBytesView)
        var first = ByteBuffer(bytes: request.prefix(40))
        let address = first.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        try channel.writeInbound(first)
        // Writing to a buffer someone else still holds would copy it first.
        let addressAfterRead = first.withUnsafeMutableReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(addressAfterRead == address, "the detector kept the read's buffer")
        try channel.writeInbound(ByteBuffer(bytes: request.dropFirst(40)))
        guard case .webSocket = try decided.wait() else {
            Issue.record("expected a websocket")
            return
        }
        _ = try? channel.finish()
    }

    @Test("A websocket upgrade for another path is the HTTP server's, byte for byte, for its own websocket routes")
    func otherPathHandedOver() throws {
        let recorder = Recorder()
        let (channel, decided) = try makeChannel(recorder: recorder)
        let upgrade = [
            "GET /chat HTTP/1.1", "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: a2V5", "", "",
        ].joined(separator: "\r\n")
        try channel.writeInbound(ByteBuffer(string: upgrade))
        guard case .http = try decided.wait() else {
            Issue.record("expected the HTTP server")
            return
        }
        #expect(String(buffer: recorder.received) == upgrade)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "nothing answered for the other server")
        _ = try? channel.finish()
    }

    @Test("A malformed upgrade for another path is the HTTP server's to refuse", arguments: ["/chat", "/socket.io-other/"])
    func malformedOtherPathHandedOver(path: String) throws {
        let recorder = Recorder()
        let (channel, decided) = try makeChannel(recorder: recorder)
        try channel.writeInbound(ByteBuffer(string: ["GET \(path) HTTP/1.1", "Connection: Upgrade", "Upgrade: websocket", "", ""].joined(separator: "\r\n")))
        guard case .http = try decided.wait() else {
            Issue.record("expected the HTTP server")
            return
        }
        #expect(recorder.received.readableBytes > 0)
        _ = try? channel.finish()
    }

    @Test("A bad upgrade for the endpoint's path is answered 400 and closed, with no HTTP server installed", arguments: [
        // Malformed: no key, no version.
        ["GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", "Connection: Upgrade", "Upgrade: websocket"],
        // Well formed, refused by the endpoint: Engine.IO 3.
        ["GET /socket.io/?EIO=3&transport=websocket HTTP/1.1", "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: a2V5"],
    ])
    func endpointUpgradeRefused(lines: [String]) throws {
        let recorder = Recorder()
        let (channel, decided) = try makeChannel(recorder: recorder)
        try channel.writeInbound(ByteBuffer(string: (lines + ["", ""]).joined(separator: "\r\n")))
        guard case .refused = try decided.wait() else {
            Issue.record("expected a refusal")
            return
        }
        let answer = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: answer).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(recorder.received.readableBytes == 0)
        #expect(!channel.isActive, "closed after the answer")
        _ = try? channel.finish()
    }

    @Test("Bytes read while the HTTP server is still being installed follow the first ones, in order")
    func bytesDuringInstallationKept() throws {
        let recorder = Recorder()
        let embedded = EmbeddedChannel()
        let ready = embedded.eventLoop.makePromise(of: Void.self)
        let server = EngineIOServer(eventLoopGroup: embedded.embeddedEventLoop, logger: Logger(label: "test")) { _ in NoDelegate() }
        let decided = embedded.eventLoop.makePromise(of: WebSocketUpgradeDetector.Outcome.self)
        let detector = WebSocketUpgradeDetector(servers: [server], maximumHeadBytes: 8192, decided: decided) { channel in
            ready.futureResult.assumeIsolated().flatMapThrowing { try channel.pipeline.syncOperations.addHandler(recorder) }.nonisolated()
        }
        try embedded.pipeline.syncOperations.addHandler(detector)
        try embedded.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\n\r\n"))
        try embedded.writeInbound(ByteBuffer(string: "GET /b HTTP/1.1\r\n\r\n"))
        #expect(recorder.received.readableBytes == 0)
        ready.succeed()
        #expect(String(buffer: recorder.received) == "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
        guard case .http = try decided.futureResult.wait() else {
            Issue.record("expected the HTTP server")
            return
        }
        _ = try? embedded.finish()
    }
}

@Suite("First request of a connection: a peer that leaves before sending it")
struct WebSocketUpgradeDetectorEarlyEndTests {
    @Test("A connection half-closed, or told to quiesce, before a complete head is closed, and the detector decides", arguments: [
        "", "GET /socket.io/?EIO=4",
    ])
    func closedBeforeFirstRequest(partialHead: String) throws {
        for event: any Sendable in [ChannelEvent.inputClosed, ChannelShouldQuiesceEvent()] {
            let recorder = Recorder()
            let (channel, decided) = try makeChannel(recorder: recorder)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            if !partialHead.isEmpty { try channel.writeInbound(ByteBuffer(string: partialHead)) }
            channel.pipeline.fireUserInboundEventTriggered(event)
            #expect(!channel.isActive, "closed after \(event)")
            #expect(throws: (any Error).self) { try decided.wait() }
            #expect(recorder.received.readableBytes == 0)
            _ = try? channel.finish()
        }
    }
}
