import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// HTTP/1.1 connections whose websocket upgrades for Engine.IO endpoints are served by
/// `EngineIOWebSocketHandler` directly in the channel pipeline; every other request goes to the
/// Hummingbird responder (the router, where `EngineIOMiddleware` answers polling).
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
            // Set by `shouldUpgrade`, read by the upgrade's completion handlers: all run on this loop.
            let decision = NIOLoopBoundBox<(EngineIOServer?, WebSocketUpgradeDecision)?>(nil, eventLoop: channel.eventLoop)
            let servers = self.servers
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: servers.map(\.configuration.maxPayload).max() ?? 1_000_000,
                // EngineIOWebSocketHandler answers protocol errors with the close code they call for.
                enableAutomaticErrorHandling: false,
                shouldUpgrade: { channel, head in
                    let headers = HTTPFields(head.headers, splitCookie: false)
                    decision.value = (nil, .refused)
                    for server in servers {
                        if let answer = server.webSocketUpgrade(target: head.uri, headers: headers, channel: channel) {
                            decision.value = (server, answer)
                            break
                        }
                    }
                    guard case (_, .accepted)? = decision.value else { return channel.eventLoop.makeSucceededFuture(nil) }
                    return channel.eventLoop.makeSucceededFuture(HTTPHeaders())
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case (let server?, .accepted(let upgrade))? = decision.value else {
                            throw NIOWebSocketUpgradeError.unsupportedWebSocketTarget
                        }
                        try channel.pipeline.syncOperations.addHandler(EngineIOWebSocketHandler(server: server, upgrade: upgrade))
                        return Negotiated.webSocket
                    }
                }
            )
            let serverUpgrade = NIOTypedHTTPServerUpgradeConfiguration<Negotiated>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try channel.pipeline.syncOperations.addHandlers(self.http1.additionalChannelHandlers())
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: self.http1.idleTimeout.map { .nanoseconds($0.nanoseconds) }, logger: logger)
                        )
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        return decision.value == nil ? .http(asyncChannel) : .refusedUpgrade(asyncChannel)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Negotiated>(upgradeConfiguration: serverUpgrade)
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            configuration.decoderConfiguration.maxHeaderFieldSize = self.http1.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = self.http1.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = self.http1.httpDecoder.maxHeaderFieldCount
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(negotiated: negotiated, channel: channel)
        }
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
