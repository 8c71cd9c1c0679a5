public import NIOCore
public import ServiceLifecycle
import EngineIO

/// Runs a service, and the tasks it starts, on one event loop instead of Swift's global pool:
/// for a Hummingbird `Application`, whose accept loop is one such task.
///
/// Hummingbird accepts a connection on an event loop, resumes its accept loop on a pool
/// thread, and starts the connection's task there, which `EventLoopServedChannel` then moves to
/// the connection's loop: two thread hops (each a wake-up of an idle thread) for every TCP
/// connection, about a tenth of the server's CPU time when browsers connect by long-polling
/// (each opens several). On an event loop the accept loop resumes where the connection was
/// accepted, and the connection's task starts beside it.
///
/// Only for services whose work is short between awaits, as on any event loop: pass the
/// application's other services to the service group beside it, not into it.
///
/// ```swift
/// let app = Application(router: router, server: .socketIO(io) { EventLoopServedChannel(HTTP1Channel(responder: $0)) })
/// let group = ServiceGroup(services: [io, EventLoopServedService(app, on: app.eventLoopGroup.any())], logger: logger)
/// ```
public struct EventLoopServedService<Base: Service>: Service {
    private let base: Base
    private let eventLoop: any EventLoop

    /// - Parameters:
    ///   - base: The service to run.
    ///   - eventLoop: The loop its tasks run on, unless they ask for another executor.
    public init(_ base: Base, on eventLoop: any EventLoop) {
        self.base = base
        self.eventLoop = eventLoop
    }

    public func run() async throws {
        try await withTaskExecutorPreference(EventLoopTaskExecutor.shared(for: self.eventLoop)) {
            try await self.base.run()
        }
    }
}
