import HTTPTypes
public import NIOCore
import NIOWebSocket

/// The first handler of an HTTP/1.1 connection: reads its first request head and, when it is
/// a websocket upgrade for an Engine.IO endpoint, answers `101` itself and turns the connection
/// into that endpoint's websocket. Anything else — plain requests, other websocket routes — is
/// handed, every byte of it, to the HTTP server whose handlers `http` installs after this one,
/// so that server answers exactly as it would without Engine.IO in front of it.
///
/// NIO's HTTP codec and upgrade handler would parse the head, build and tear down four
/// handlers and a chain of futures for each websocket: about a fifth of a connection's CPU,
/// spent only to be removed again. Reading the head here costs a scan of a few hundred bytes.
///
/// Public so that an integration with any NIO-based HTTP server can put it first in its
/// connections' pipelines.
public final class WebSocketUpgradeDetector: ChannelInboundHandler, RemovableChannelHandler {
    /// The connection's raw bytes.
    public typealias InboundIn = ByteBuffer
    /// The same bytes, passed on to the HTTP server's handlers (or the websocket decoder).
    public typealias InboundOut = ByteBuffer
    /// The `101` answer, or the `400` of a refused upgrade.
    public typealias OutboundOut = ByteBuffer

    /// How the connection was served.
    public enum Outcome: Sendable {
        /// Upgraded: the endpoint's websocket handler serves the connection from here on.
        case webSocket
        /// An upgrade for an endpoint's path that the endpoint refused: answered 400 and closed.
        case refused
        /// Handed to the HTTP server's handlers.
        case http
    }

    private let servers: [EngineIOServer]
    private let maximumHeadBytes: Int
    /// Installs the HTTP server's handlers at the end of the pipeline; the bytes read so far
    /// follow once the returned future succeeds.
    private let http: (any Channel) -> EventLoopFuture<Void>
    private let decided: EventLoopPromise<Outcome>
    private var isDecided = false
    /// Bytes of an incomplete head, or read while the HTTP server's handlers are being installed.
    private var buffered: ByteBuffer?
    private var isHandingOver = false

    /// - Parameters:
    ///   - servers: The endpoints whose paths this connection's first request may upgrade.
    ///   - maximumHeadBytes: Past this many bytes without a complete head, the HTTP server gets
    ///     the connection (and applies its own limit).
    ///   - decided: Completed once the connection's fate is known.
    ///   - http: Installs the HTTP server's handlers after this one.
    public init(
        servers: [EngineIOServer],
        maximumHeadBytes: Int,
        decided: EventLoopPromise<Outcome>,
        http: @escaping (any Channel) -> EventLoopFuture<Void>
    ) {
        self.servers = servers
        self.maximumHeadBytes = maximumHeadBytes
        self.decided = decided
        self.http = http
    }

    /// Buffers bytes until the first request head is complete, then upgrades, refuses, or hands
    /// everything over; once handed over, passes bytes through until it has removed itself.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        guard !self.isHandingOver else {
            self.buffered.setOrWriteBuffer(&bytes)
            return
        }
        let isOwnBuffer: Bool
        if var buffered = self.buffered.take() {
            buffered.writeBuffer(&bytes)
            bytes = buffered
            isOwnBuffer = true
        } else {
            isOwnBuffer = false
        }
        switch WebSocketHandshake.firstRequest(in: bytes.readableBytesView, maximumHeadBytes: self.maximumHeadBytes) {
        case .incomplete:
            // Kept in a buffer of the handler's own: while the read's buffer is held, NIO cannot
            // reuse it for the next read and keeps a second, larger one beside it for good.
            if isOwnBuffer {
                self.buffered = bytes
            } else {
                var copy = context.channel.allocator.buffer(capacity: bytes.readableBytes)
                copy.writeBuffer(&bytes)
                self.buffered = copy
            }
        case .http:
            self.handOver(bytes, context: context)
        case .invalidUpgrade(let target):
            if self.isEndpoint(target) {
                self.refuse(context: context)
            } else {
                self.handOver(bytes, context: context)
            }
        case .upgrade(let upgrade, let headLength):
            self.answer(upgrade, rest: bytes.getSlice(at: bytes.readerIndex + headLength, length: bytes.readableBytes - headLength), original: bytes, context: context)
        }
    }

    private func answer(_ upgrade: WebSocketHandshake.Upgrade, rest: ByteBuffer?, original: ByteBuffer, context: ChannelHandlerContext) {
        var decision: (EngineIOServer, WebSocketUpgradeDecision)?
        for server in self.servers {
            if let answer = server.webSocketUpgrade(target: upgrade.target, headers: upgrade.headers, channel: context.channel) {
                decision = (server, answer)
                break
            }
        }
        guard let (server, answer) = decision else {
            self.handOver(original, context: context)
            return
        }
        guard case .accepted(let kind) = answer else {
            self.refuse(context: context)
            return
        }
        // Not flushed: the Engine.IO handler's first frame goes out in the same write.
        let compression = server.webSocketCompression.flatMap { perLoop in
            WebSocketDeflateNegotiation.accepts(offers: upgrade.headers[.secWebSocketExtensions]) ? perLoop.value(for: context.eventLoop) : nil
        }
        let response = WebSocketHandshake.switchingProtocols(
            key: upgrade.key,
            extensions: compression == nil ? nil : WebSocketDeflateNegotiation.response,
            allocator: context.channel.allocator
        )
        context.write(Self.wrapOutboundOut(response), promise: nil)
        do {
            try context.pipeline.syncOperations.addHandler(EngineIOWebSocketHandler(server: server, upgrade: kind, compression: compression), position: .after(self))
        } catch {
            if case .newSession(_, let release) = kind { release?.run() }
            self.decide(.failure(error))
            context.close(promise: nil)
            return
        }
        context.flush()
        self.decide(.success(.webSocket))
        if let rest, rest.readableBytes > 0 { context.fireChannelRead(Self.wrapInboundOut(rest)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func isEndpoint(_ target: String) -> Bool {
        let path = target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
        return self.servers.contains { $0.matches(path: path) }
    }

    /// Installs the HTTP server's handlers and passes them everything read so far.
    private func handOver(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        let channel = context.channel
        self.isHandingOver = true
        self.buffered = nil
        self.http(channel).hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success:
                self.decide(.success(.http))
                context.fireChannelRead(Self.wrapInboundOut(bytes))
                if let later = self.buffered.take() { context.fireChannelRead(Self.wrapInboundOut(later)) }
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            case .failure(let error):
                self.decide(.failure(error))
                channel.close(promise: nil)
            }
        }
    }

    /// A bad upgrade for an endpoint's path: a plain 400 (the endpoint logged why), and the
    /// connection closed, as no HTTP server was installed to read what follows.
    private func refuse(context: ChannelHandlerContext) {
        self.decide(.success(.refused))
        let answer = context.channel.allocator.buffer(string: "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        context.writeAndFlush(Self.wrapOutboundOut(answer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func decide(_ outcome: Result<Outcome, any Error>) {
        guard !self.isDecided else { return }
        self.isDecided = true
        self.decided.completeWith(outcome)
    }

    /// Before the first request is known, a connection whose peer stopped sending (servers that
    /// allow half-closure, as Hummingbird's do, learn of an EOF this way rather than by the
    /// channel closing) or that the server is quiescing will never be served: it is closed, or a
    /// TCP probe that connects and leaves would hold the connection, and the server's graceful
    /// shutdown waiting for it, forever.
    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed where !self.isDecided && !self.isHandingOver,
            is ChannelShouldQuiesceEvent where !self.isDecided && !self.isHandingOver:
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Fails `decided` if the connection closed before its first request was known.
    public func channelInactive(context: ChannelHandlerContext) {
        self.decide(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    /// Fails `decided` if the handler leaves the pipeline undecided.
    public func handlerRemoved(context: ChannelHandlerContext) {
        // Removed before deciding (the channel closed): nobody waits any longer.
        self.decide(.failure(ChannelError.ioOnClosedChannel))
    }
}
