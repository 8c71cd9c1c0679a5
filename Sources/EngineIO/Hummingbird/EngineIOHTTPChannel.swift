import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// HTTP/1.1 connections whose websocket upgrades for Engine.IO endpoints are served by
/// `EngineIOWebSocketHandler` directly in the channel pipeline (`WebSocketUpgradeDetector`
/// answers the handshake); every other request goes to the Hummingbird responder (the router,
/// where `EngineIOMiddleware` answers polling).
///
/// Hummingbird's own websocket channel wraps each connection in async streams served by tasks
/// for its whole life; at tens of thousands of idle sockets those parked tasks were most of the
/// server's memory, hence this channel.
public struct EngineIOHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    /// How the connection's first request was handled.
    public enum Negotiated: Sendable {
        /// Upgraded: the websocket handler serves the connection from here on.
        case webSocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade request that no endpoint accepted: answered 400.
        case refusedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    public struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        public let channel: any Channel
    }

    public let responder: HTTPChannelHandler.Responder
    private let servers: [EngineIOServer]
    private let http1: HTTP1Channel.Configuration

    public init(servers: [EngineIOServer], http1: HTTP1Channel.Configuration = .init(), responder: @escaping HTTPChannelHandler.Responder) {
        self.servers = servers
        self.http1 = http1
        self.responder = Self.redirectingLateUpgrades(responder)
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // Each channel keeps its last receive buffer for the next read: starting small (and
            // growing only for connections that read a lot) keeps that from being 2 KB per idle socket.
            try channel.syncOptions?.setOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536))
            // Written by the detector's `http` closure, read when it has decided: both on this loop.
            let asyncChannel = NIOLoopBoundBox<NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>?>(nil, eventLoop: channel.eventLoop)
            let decided = channel.eventLoop.makePromise(of: WebSocketUpgradeDetector.Outcome.self)
            let detector = WebSocketUpgradeDetector(
                servers: self.servers,
                maximumHeadBytes: self.http1.httpDecoder.maxHeaderListSize,
                decided: decided
            ) { channel, _ in
                asyncChannel.value = try self.addHTTPHandlers(to: channel, logger: logger)
            }
            try channel.pipeline.syncOperations.addHandler(detector)
            let negotiated = decided.futureResult.flatMapThrowing { outcome -> Negotiated in
                switch outcome {
                case .webSocket:
                    return .webSocket
                case .http(let refusedUpgrade):
                    guard let http = asyncChannel.value else { throw ChannelError.inappropriateOperationForState }
                    return refusedUpgrade ? .refusedUpgrade(http) : .http(http)
                }
            }
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    /// The HTTP/1.1 pipeline Hummingbird serves requests through, for a connection whose first
    /// request is not an Engine.IO websocket.
    private func addHTTPHandlers(to channel: any Channel, logger: Logger) throws -> NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart> {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = self.http1.httpDecoder.maxHeaderFieldSize
        limits.maxHeaderListSize = self.http1.httpDecoder.maxHeaderListSize
        limits.maxHeaderFieldCount = self.http1.httpDecoder.maxHeaderFieldCount
        let operations = channel.pipeline.syncOperations
        try operations.configureHTTPServerPipeline(
            withPipeliningAssistance: false,
            withErrorHandling: false,
            withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: limits
        )
        try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        try operations.addHandlers(self.http1.additionalChannelHandlers())
        try operations.addHandler(HTTPConnectionStateHandler(idleTimeout: self.http1.idleTimeout.map { .nanoseconds($0.nanoseconds) }, logger: logger))
        return try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
            wrappingChannelSynchronously: channel,
            configuration: .init(isOutboundHalfClosureEnabled: true)
        )
    }

    public func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .webSocket:
                // Served by the pipeline's handlers until it closes; no task stays behind.
                break
            case .http(let http):
                await self.handleHTTP(asyncChannel: http, logger: logger)
            case .refusedUpgrade(let http):
                await Self.refuseUpgrade(http, logger: logger)
            }
        } catch {
            logger.debug("Connection ended during HTTP negotiation", metadata: ["error": "\(error)"])
        }
    }

    private static func refuseUpgrade(_ http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, logger: Logger) async {
        do {
            try await http.executeThenClose { _, outbound in
                let head = HTTPResponse(status: .badRequest, headerFields: [.connection: "close", .contentLength: "0"])
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
            }
        } catch {
            logger.trace("Could not answer a refused upgrade", metadata: ["error": "\(error)"])
        }
    }

    /// NIO only upgrades a connection's first request. A client that asks for a websocket on a
    /// kept-alive connection is redirected to the same URL on a new connection.
    private static func redirectingLateUpgrades(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                try await responder(request, writer, channel)
                return
            }
            let location = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
            try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: location]))
            throw LateUpgradeRedirected()
        }
    }

    /// Ends the connection after a redirected late upgrade.
    private struct LateUpgradeRedirected: Error {}
}
