import HummingbirdCore
import Logging
import NIOCore

/// A server child channel served as `Base` is, but whose connections, when their first request
/// opens a websocket session at `path`, are read only after `delay`: the websocket side of
/// `ClientSuiteHooks.admissionDelay`, for upgrades that the endpoint answers in the channel
/// pipeline, before any responder could wait.
struct WebSocketHandshakeDelayChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    let path: String
    let delay: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(WebSocketHandshakeDelay(path: self.path, delay: TimeAmount(self.delay)))
        }.flatMap {
            self.base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await self.base.handle(value: value, logger: logger)
    }
}

/// Holds a connection's first bytes back for `delay` when they start with a request line that
/// opens a websocket session (`GET <path>?…transport=websocket…`, no `sid`), then passes
/// everything on and leaves the pipeline. Any other connection passes at once.
final class WebSocketHandshakeDelay: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let requestPrefix: String
    private let delay: TimeAmount
    /// What was read while waiting; nil when not waiting.
    private var held: [NIOAny]?

    init(path: String, delay: TimeAmount) {
        self.requestPrefix = "GET \(path)"
        self.delay = delay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.held != nil {
            self.held?.append(data)
            return
        }
        let bytes = Self.unwrapInboundIn(data).readableBytesView
        let requestLine = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        guard requestLine.hasPrefix(self.requestPrefix), requestLine.contains("transport=websocket"), !requestLine.contains("sid=") else {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        self.held = [data]
        context.eventLoop.assumeIsolated().scheduleTask(in: self.delay) {
            let held = self.held ?? []
            self.held = nil
            if context.channel.isActive {
                for data in held { context.fireChannelRead(data) }
                context.fireChannelReadComplete()
            }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.held == nil { context.fireChannelReadComplete() }
    }
}
