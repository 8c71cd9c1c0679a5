import EngineIO
import Logging
import ServiceLifecycle
import SocketIO

/// The graceful drain on SIGTERM/SIGINT. It runs before the server stops (it is shut down
/// first): refuse new webhooks and connections, let the webhooks in flight finish, then close
/// the Socket.IO server (every socket told, every session closed so clients reconnect to another
/// node). The HTTP server and the ledger (which flushes as it stops) stop after it returns.
struct DrainService: Service {
    let state: DrainState
    let io: SocketIOServer
    let metrics: PayNotifyMetrics
    /// The whole drain's budget; each step gets what the earlier ones left.
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        // Returns when a shutdown is asked for; throws if the group is cancelled instead.
        try await gracefulShutdown()
        await self.drain()
    }

    func drain() async {
        let started = ContinuousClock.now
        self.state.startDraining()
        self.metrics.setDraining(true)
        self.logger.notice("Draining: refusing new webhooks and connections", metadata: ["webhooksInFlight": "\(self.state.webhooksInFlight)", "sessions": "\(self.io.engine.sessionCount)", "timeout": "\(self.timeout)"])
        // Most of the budget for payments in flight; the rest for closing sockets and the server.
        let webhookDeadline = started + self.timeout * 0.7
        if !(await Self.wait(before: webhookDeadline, until: { self.state.webhooksInFlight == 0 })) {
            self.logger.error("Drain deadline reached with webhooks in flight", metadata: ["webhooksInFlight": "\(self.state.webhooksInFlight)"])
        }
        let sessions = self.io.engine.sessionCount
        let sessionDeadline = started + self.timeout * 0.85
        await self.io.close(timeout: sessionDeadline - ContinuousClock.now)
        self.logger.notice("Drained", metadata: ["sessionsClosed": "\(sessions)", "sessionsLeft": "\(self.io.engine.sessionCount)", "elapsed": "\(ContinuousClock.now - started)"])
    }

    /// Returns once `condition` holds, or at `deadline`; whether it holds. Checked every few
    /// milliseconds: this runs once, at shutdown, and needs no wake-up plumbing.
    @discardableResult
    static func wait(before deadline: ContinuousClock.Instant, until condition: () -> Bool) async -> Bool {
        while !condition(), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }
}
