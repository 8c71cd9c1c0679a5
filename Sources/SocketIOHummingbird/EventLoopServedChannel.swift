import EngineIO
public import HummingbirdCore
public import Logging
public import NIOCore

/// Serves each connection of another HTTP channel (`Base`) with a task that runs on the
/// connection's own event loop, as Socket.IO's sockets are served: a request is read, routed
/// and answered on the thread that reads its bytes, and a route that awaits elsewhere (a
/// database) resumes there.
///
/// Hummingbird serves a connection with a task on Swift's global executor, so each request
/// crosses from the event loop to a pool thread and its answer crosses back: PayNotify's
/// webhooks took about 2.6 fewer context switches and 10 % less CPU each once served on the
/// loop (BENCHMARKS.md). The cost moves to
/// the routes: a route that computes for long, or blocks its thread, delays every socket on its
/// loop, as it would in Node. Use it when the routes are short.
///
/// ```swift
/// server: .socketIO(io) { responder in
///     EventLoopServedChannel(HTTP1Channel(responder: responder))
/// }
/// ```
public struct EventLoopServedChannel<Base: HTTPChannelHandler>: HTTPChannelHandler {
    public typealias Value = Base.Value

    private let base: Base

    /// - Parameter base: The channel whose connections are served on their event loops.
    public init(_ base: Base) {
        self.base = base
    }

    public var responder: HTTPChannelHandler.Responder { self.base.responder }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        self.base.setup(channel: channel, logger: logger)
    }

    public func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor.shared(for: value.channel.eventLoop)) {
            await self.base.handle(value: value, logger: logger)
        }
    }
}
