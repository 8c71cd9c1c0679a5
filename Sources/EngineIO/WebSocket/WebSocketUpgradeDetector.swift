import NIOCore
import NIOWebSocket

/// The first handler of an HTTP/1.1 connection: reads its first request head and, when it is
/// a websocket upgrade for an Engine.IO endpoint, answers `101` itself and turns the connection
/// into that endpoint's websocket. Anything else is handed, every byte of it, to the HTTP/1.1
/// pipeline that `http` installs after this handler.
///
/// NIO's HTTP codec and upgrade handler would parse the head, build and tear down four
/// handlers and a chain of futures for each websocket: about a fifth of a connection's CPU,
/// spent only to be removed again. Reading the head here costs a scan of a few hundred bytes.
final class WebSocketUpgradeDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How the connection was served.
    enum Outcome {
        case webSocket
        /// Handed to the HTTP pipeline; `refusedUpgrade` when it was a websocket upgrade that no
        /// endpoint accepted (the pipeline answers it 400).
        case http(refusedUpgrade: Bool)
    }

    private let servers: [EngineIOServer]
    private let maximumHeadBytes: Int
    /// Installs the HTTP/1.1 handlers at the end of the pipeline.
    private let http: (any Channel, _ refusedUpgrade: Bool) throws -> Void
    private let decided: EventLoopPromise<Outcome>
    private var isDecided = false
    private var buffered: ByteBuffer?

    init(
        servers: [EngineIOServer],
        maximumHeadBytes: Int,
        decided: EventLoopPromise<Outcome>,
        http: @escaping (any Channel, _ refusedUpgrade: Bool) throws -> Void
    ) {
        self.servers = servers
        self.maximumHeadBytes = maximumHeadBytes
        self.decided = decided
        self.http = http
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if var buffered = self.buffered.take() {
            buffered.writeBuffer(&bytes)
            bytes = buffered
        }
        switch WebSocketHandshake.firstRequest(in: bytes.readableBytesView, maximumHeadBytes: self.maximumHeadBytes) {
        case .incomplete:
            self.buffered = bytes
        case .http:
            self.handOver(bytes, refusedUpgrade: false, context: context)
        case .invalidUpgrade:
            self.handOver(bytes, refusedUpgrade: true, context: context)
        case .upgrade(let upgrade, let headLength):
            self.answer(upgrade, rest: bytes.getSlice(at: bytes.readerIndex + headLength, length: bytes.readableBytes - headLength), original: bytes, context: context)
        }
    }

    private func answer(_ upgrade: WebSocketHandshake.Upgrade, rest: ByteBuffer?, original: ByteBuffer, context: ChannelHandlerContext) {
        var accepted: (EngineIOServer, WebSocketUpgrade)?
        for server in self.servers {
            guard let decision = server.webSocketUpgrade(target: upgrade.target, headers: upgrade.headers, channel: context.channel) else { continue }
            if case .accepted(let kind) = decision { accepted = (server, kind) }
            break
        }
        guard let (server, kind) = accepted else {
            self.handOver(original, refusedUpgrade: true, context: context)
            return
        }
        // Not flushed: the Engine.IO handler's first frame goes out in the same write.
        context.write(Self.wrapOutboundOut(WebSocketHandshake.switchingProtocols(key: upgrade.key, allocator: context.channel.allocator)), promise: nil)
        do {
            let decoder = ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: server.configuration.maxPayload))
            try context.pipeline.syncOperations.addHandler(decoder, position: .after(self))
            try context.pipeline.syncOperations.addHandler(EngineIOWebSocketHandler(server: server, upgrade: kind), position: .after(decoder))
        } catch {
            self.decide(.failure(error))
            context.close(promise: nil)
            return
        }
        context.flush()
        self.decide(.success(.webSocket))
        if let rest, rest.readableBytes > 0 { context.fireChannelRead(Self.wrapInboundOut(rest)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Installs the HTTP pipeline and passes it everything read so far.
    private func handOver(_ bytes: ByteBuffer, refusedUpgrade: Bool, context: ChannelHandlerContext) {
        do {
            try self.http(context.channel, refusedUpgrade)
        } catch {
            self.decide(.failure(error))
            context.close(promise: nil)
            return
        }
        self.decide(.success(.http(refusedUpgrade: refusedUpgrade)))
        context.fireChannelRead(Self.wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func decide(_ outcome: Result<Outcome, any Error>) {
        guard !self.isDecided else { return }
        self.isDecided = true
        self.decided.completeWith(outcome)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.decide(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Removed before deciding (the channel closed): nobody waits any longer.
        self.decide(.failure(ChannelError.ioOnClosedChannel))
    }
}
