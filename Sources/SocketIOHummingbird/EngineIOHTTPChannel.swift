package import EngineIO
package import HummingbirdCore
package import Logging
package import NIOCore

/// A Hummingbird server child channel with Engine.IO in front of another one (`Base`: plain
/// HTTP/1.1, or HTTP/1.1 with hummingbird-websocket's upgrades): a connection whose first request
/// is a websocket upgrade for an endpoint is served by `EngineIOWebSocketHandler` directly in
/// the channel pipeline; every other connection is the base channel's, byte for byte, so its
/// routes, router middleware and websocket routes work as they would alone.
///
/// Hummingbird's own websocket channel wraps each connection in async streams served by tasks
/// for its whole life; at tens of thousands of idle sockets those parked tasks were most of the
/// server's memory, hence this channel.
///
/// `package`, not public: `HTTPServerBuilder.engineIO` is how users get it; this package's
/// conformance server wraps it in a channel of its own.
package struct EngineIOHTTPChannel<Base: HTTPChannelHandler>: HTTPChannelHandler {
    /// How the connection's first request was handled.
    enum Negotiated: Sendable {
        /// Upgraded, or refused: the pipeline's handlers see the connection to its end.
        case engineIO
        case base(Base.Value)
    }

    package struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        package let channel: any Channel
    }

    package let responder: HTTPChannelHandler.Responder
    private let base: Base
    private let servers: [EngineIOServer]
    private let maximumHeadBytes: Int

    /// - Parameters:
    ///   - servers: The Engine.IO endpoints served beside the base channel.
    ///   - maximumHeadBytes: The longest first request head read before the base channel gets
    ///     the connection; the base's own header limit is a good value.
    ///   - responder: Hummingbird's responder (the router).
    ///   - base: Builds the channel every other connection is served by, from the responder it
    ///     must answer with.
    package init(
        servers: [EngineIOServer],
        maximumHeadBytes: Int,
        responder: @escaping HTTPChannelHandler.Responder,
        base: (@escaping HTTPChannelHandler.Responder) -> Base
    ) {
        let answering = EngineIOResponder(servers: servers, next: responder).respond
        self.servers = servers
        self.maximumHeadBytes = maximumHeadBytes
        self.responder = answering
        self.base = base(answering)
    }

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // Each channel keeps its largest receive buffer for the next reads, for good: starting
            // at 256 bytes keeps that from being 2 KB per idle socket. A short upgrade request
            // (NIO's client: 200 bytes) fits; Node's `ws` (about 260) grows it to 512, a browser's
            // (about 570) to 1 KB.
            try channel.syncOptions?.setOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65_536))
            // Written when the detector hands over, read once it has decided: both on this loop.
            let baseValue = NIOLoopBoundBox<EventLoopFuture<Base.Value>?>(nil, eventLoop: channel.eventLoop)
            let decided = channel.eventLoop.makePromise(of: WebSocketUpgradeDetector.Outcome.self)
            let detector = WebSocketUpgradeDetector(servers: self.servers, maximumHeadBytes: self.maximumHeadBytes, decided: decided) { channel in
                let value = self.base.setup(channel: channel, logger: logger)
                baseValue.value = value
                return value.map { _ in }
            }
            try channel.pipeline.syncOperations.addHandler(detector)
            let negotiated = decided.futureResult.flatMap { outcome -> EventLoopFuture<Negotiated> in
                switch outcome {
                case .webSocket, .refused:
                    return channel.eventLoop.makeSucceededFuture(.engineIO)
                case .http:
                    guard let value = baseValue.value else { return channel.eventLoop.makeFailedFuture(ChannelError.inappropriateOperationForState) }
                    return value.map { .base($0) }
                }
            }
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    package func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .engineIO:
                // Served by the pipeline's handlers until it closes; no task stays behind.
                break
            case .base(let baseValue):
                await self.base.handle(value: baseValue, logger: logger)
            }
        } catch {
            logger.debug("Connection ended during HTTP negotiation", metadata: ["error": "\(error)"])
        }
    }
}
