import Logging
import NIOCore
import NIOEmbedded
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

private func makeChannel(recorder: Recorder, refused: @escaping (Bool) -> Void = { _ in }) throws -> (EmbeddedChannel, EventLoopFuture<WebSocketUpgradeDetector.Outcome>) {
    let channel = EmbeddedChannel()
    let server = EngineIOServer(eventLoopGroup: channel.embeddedEventLoop, logger: Logger(label: "test")) { _ in NoDelegate() }
    let decided = channel.eventLoop.makePromise(of: WebSocketUpgradeDetector.Outcome.self)
    let detector = WebSocketUpgradeDetector(servers: [server], maximumHeadBytes: 8192, decided: decided) { channel, refusedUpgrade in
        refused(refusedUpgrade)
        try channel.pipeline.syncOperations.addHandler(recorder)
    }
    try channel.pipeline.syncOperations.addHandler(detector)
    return (channel, decided.futureResult)
}

private final class NoDelegate: EngineIOSessionDelegate {
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {}
    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
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
        guard case .http(refusedUpgrade: false) = try decided.wait() else {
            Issue.record("expected the HTTP pipeline")
            return
        }
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: WebSocketUpgradeDetector.self) }
        _ = try? channel.finish()
    }

    @Test("An Engine.IO websocket is answered 101, its open packet in the same write, and served by the Engine.IO handler")
    func engineIOUpgrade() throws {
        let (channel, decided) = try makeChannel(recorder: Recorder())
        try channel.writeInbound(ByteBuffer(string: [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", "Host: x", "Connection: Upgrade", "Upgrade: websocket",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "", "",
        ].joined(separator: "\r\n")))
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

    @Test("A websocket upgrade for another path is handed to the HTTP pipeline as refused")
    func otherPathRefused() throws {
        var refusedUpgrade = false
        let (channel, decided) = try makeChannel(recorder: Recorder()) { refusedUpgrade = $0 }
        try channel.writeInbound(ByteBuffer(string: [
            "GET /chat HTTP/1.1", "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: a2V5", "", "",
        ].joined(separator: "\r\n")))
        guard case .http(refusedUpgrade: true) = try decided.wait() else {
            Issue.record("expected a refused upgrade")
            return
        }
        #expect(refusedUpgrade)
        _ = try? channel.finish()
    }
}
