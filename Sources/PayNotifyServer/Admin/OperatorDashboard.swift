import Hummingbird
import Logging
import Payments
import ServiceLifecycle
import SocketIO

/// The operator dashboard at `/admin`, assembled: its page, login and API routes, its Socket.IO
/// namespace, the feed payment processing and the callback worker tell,
/// and the node reports. It exists only when a dashboard token is configured; without one none
/// of its routes exist (`/admin` is a 404) and its namespace does not (sockets are refused).
struct OperatorDashboard: Sendable {
    let cookie: AdminSessionCookie
    let namespace: SocketIONamespace
    let feed: AdminFeed
    let figures: NodeFigures
    let logger: Logger

    /// Logins a client address may try at once, and how fast they come back.
    static let loginBurst = 10
    static let loginRate = 0.1

    init(token: String, figures: NodeFigures, callbacksEnabled: Bool, logger: Logger) {
        self.cookie = AdminSessionCookie(access: AdminAccess(token: token))
        self.figures = figures
        self.namespace = AdminNamespace(cookie: self.cookie, logger: logger).make(on: figures.io)
        self.feed = AdminFeed(namespace: self.namespace, node: figures.node, callbacksEnabled: callbacksEnabled, logger: logger)
        self.logger = logger
    }

    func addRoutes<Context: RequestContext>(
        to router: Router<Context>, outbox: any CallbackOutbox, unmatched: UnmatchedListing, redelivery: CallbackRedelivery,
        addresses: ClientAddressResolver, tls: Bool
    ) {
        AdminPage.addRoutes(to: router)
        AdminLoginController<Context>(
            cookie: self.cookie, addresses: addresses, limiter: TokenBucketLimiter(rate: Self.loginRate, burst: Self.loginBurst), tls: tls
        ).addRoutes(to: router)
        AdminAPIController<Context>(outbox: outbox, figures: self.figures, namespace: self.namespace, unmatched: unmatched, redelivery: redelivery, cookie: self.cookie, logger: self.logger)
            .addRoutes(to: router)
    }

    var services: [any Service] {
        [self.feed, NodeReporter(figures: self.figures, namespace: self.namespace, logger: self.logger)]
    }
}
