import AsyncHTTPClient
import EngineIO
import SocketIOHummingbird
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Payments
import Redis
import RedisLedger
import ServiceLifecycle
import SocketIO
import SocketIORedisAdapter
import UnixSignals

/// Wires the notifier: the Socket.IO endpoint with booking subscriptions, the webhook, the
/// ledger, the poller and ledger pruning, and the protections of `SecurityConfiguration`, as
/// one Hummingbird application.
public struct PayNotifyApplication: Sendable {
    public let configuration: PayNotifyConfiguration
    public let logger: Logger
    /// Where this server's metrics go; its own, so servers in one process keep separate counts.
    public let metrics: PayNotifyMetrics

    public init(configuration: PayNotifyConfiguration, logger: Logger, metrics: PayNotifyMetrics = PayNotifyMetrics()) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
    }

    /// Serves until SIGTERM/SIGINT, then drains and returns.
    public func run() async throws {
        try await self.makeService().run()
    }

    /// The application with its services and its graceful drain: on SIGTERM/SIGINT the drain
    /// runs first (it is the last service, so it is shut down first), then the server, then the
    /// services it uses, all within `DRAIN_TIMEOUT` before what is left is cancelled.
    ///
    /// The application (Hummingbird's accept loop) runs on an event loop, its services on
    /// Swift's pool: each new connection then starts without a hop to a pool thread and back.
    func makeService() async throws -> ServiceGroup {
        let drain = DrainState()
        let (application, io, services) = try await self.makeApplication(drain: drain)
        let drainService = DrainService(state: drain, io: io, metrics: self.metrics, timeout: self.configuration.operations.drainTimeout, logger: self.logger)
        let server = EventLoopServedService(application, on: application.eventLoopGroup.any())
        var configuration = ServiceGroupConfiguration(services: services + [server, drainService], gracefulShutdownSignals: [.sigterm, .sigint], logger: self.logger)
        configuration.maximumGracefulShutdownDuration = self.configuration.operations.drainTimeout
        configuration.maximumCancellationDuration = .seconds(1)
        return ServiceGroup(configuration: configuration)
    }

    /// The Hummingbird application, its Socket.IO server, and the services the application's
    /// routes rely on (the ledger's, the pollers, callbacks, the dashboard's), to run beside it.
    func makeApplication(drain: DrainState) async throws -> (some ApplicationProtocol, SocketIOServer, [any Service]) {
        let security = self.configuration.security
        let backend = try StorageBackend.make(for: self.configuration, logger: self.logger)
        try await self.checkDurability(of: backend)
        let ledger = backend.ledger
        let watchList = BookingWatchList()
        let addresses = ClientAddressResolver(trustedProxies: security.trustedProxies)
        let verifier = try await SocketTokenVerifier.make(from: security)

        let admission = DrainingAdmission(
            state: drain,
            policy: ConnectionsPerAddressLimit(maximum: security.maximumConnectionsPerAddress, addresses: addresses)
        )
        let io = SocketIOServer(
            // Pages send small JSON only: a binary packet gets little room.
            configuration: .init(
                maximumAttachments: 4,
                maximumAttachmentBytes: 65_536,
                packetRateLimit: PacketRateLimit(rate: security.socketPacketRate, burst: security.socketPacketBurst)
            ),
            engine: self.engineConfiguration,
            admission: admission,
            adapter: backend.adapter,
            logger: self.logger
        )
        let figures = NodeFigures(
            node: backend.redisLink.map { NodeIdentity(id: $0.adapters.nodeID) } ?? NodeIdentity(), io: io, watchList: watchList, metrics: self.metrics
        )
        NodeInfo.answer(with: figures, logger: self.logger)
        let dashboard = self.configuration.dashboardToken.map { token in
            OperatorDashboard(token: token, figures: figures, callbacksEnabled: self.configuration.callbacks.isEnabled, logger: self.logger)
        }
        let providers = self.configuration.providers
        let callbackWakeup = CallbackWakeup()
        var processor = PaymentProcessor(
            ledger: ledger, announcer: SocketIOPaymentAnnouncer(io: io), watchList: watchList, resolver: BookingResolver(matcher: providers.memoMatcher), metrics: self.metrics, logger: self.logger
        )
        processor.operatorFeed = dashboard?.feed
        if self.configuration.callbacks.isEnabled { processor.onRecorded = callbackWakeup.signal }
        self.configureSockets(of: io, ledger: ledger, watchList: watchList, verifier: verifier)

        // HEAD answers what GET would, without the body (caches and link checkers ask it).
        let router = Router(context: PayNotifyRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ConnectionCloseMiddleware())
        let webhookGuard = WebhookGuard<PayNotifyRequestContext>(
            addresses: addresses,
            allowedAddresses: security.webhookAllowedAddresses,
            limiter: TokenBucketLimiter(rate: security.webhookRate, burst: security.webhookBurst),
            metrics: self.metrics
        )
        let webhooks = router.group("/webhook").add(middleware: DrainGate(state: drain, metrics: self.metrics)).add(middleware: webhookGuard)
        let webhookController = WebhookController<PayNotifyRequestContext>(
            processor: processor,
            replayMemory: ledger,
            replayWindow: security.webhookTolerance,
            maximumBodyBytes: self.configuration.webhookMaxBodyBytes,
            metrics: self.metrics
        )
        let webhookRoutes = try self.webhooks()
        for (route, webhook) in webhookRoutes {
            webhookController.addRoute(route, for: webhook, to: webhooks)
        }
        let merchantGuard = MerchantAPIGuard(access: try self.merchantAccess(), logger: self.logger)
        let unmatched = UnmatchedListing(ledger: ledger, logger: self.logger)
        let redelivery = CallbackRedelivery(
            outbox: backend.outbox, callbacksEnabled: self.configuration.callbacks.isEnabled, wakeup: callbackWakeup, feed: dashboard?.feed, logger: self.logger
        )
        MerchantAPIController<PayNotifyRequestContext>(
            ledger: ledger,
            apiGuard: merchantGuard,
            registrations: BookingRegistrationParser(matcher: providers.memoMatcher),
            quickLinks: BookingQuickLinks(ledger: ledger, account: providers.bankAccount, matcher: providers.memoMatcher, logger: self.logger),
            unmatched: unmatched,
            logger: self.logger
        ).addRoutes(to: router)
        MerchantStatusController<PayNotifyRequestContext>(ledger: ledger, history: backend.history, apiGuard: merchantGuard, logger: self.logger)
            .addRoutes(to: router)
        MerchantEventsController<PayNotifyRequestContext>(outbox: backend.outbox, apiGuard: merchantGuard, redelivery: redelivery, logger: self.logger)
            .addRoutes(to: router)
        dashboard?.addRoutes(
            to: router, outbox: backend.outbox, unmatched: unmatched, redelivery: redelivery, addresses: addresses, tls: security.tlsCertificatePath != nil
        )
        BrowserClient.addRoutes(to: router)
        OpenAPIDocument.addRoutes(to: router)
        if self.configuration.servesDemoPage {
            let generic = webhookRoutes.first { $0.route == Self.genericWebhookRoute }?.webhook
            let simulator = self.configuration.simulatesPayments
                ? generic.map { PaymentSimulator(controller: webhookController, webhook: $0, security: security, logger: self.logger) } : nil
            DemoPage(simulator: simulator).addRoutes(to: router, webhookGuard: webhookGuard)
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { _, _ in
            await Self.readiness(problems: (drain.isDraining ? ["draining"] : []) + backend.readinessProblems())
        }
        MetricsController(
            metrics: self.metrics,
            sampler: MetricsSampler(figures: figures, redis: backend.redisLink),
            authenticator: try self.configuration.operations.metricsAuthenticator()
        ).addRoutes(to: router)

        self.logStartupWarnings()
        // For operators, and for the test that checks the OpenAPI document lists every route.
        self.logger.debug("HTTP routes", metadata: ["routes": .array(router.routes.map { .string("\($0.method) \($0.path)") })])
        let services = backend.services + self.pollerServices(watchList: watchList, lease: backend.pollLease, processor: processor)
            + (try self.callbackServices(outbox: backend.outbox, wakeup: callbackWakeup, feed: dashboard?.feed)) + (dashboard?.services ?? [])
        let application = Application(
            router: router,
            server: try self.serverBuilder(io: io),
            configuration: .init(address: .hostname(self.configuration.host, port: self.configuration.port), serverName: "paynotify"),
            logger: self.logger
        )
        return (application, io, services)
    }

    private func configureSockets(of io: SocketIOServer, ledger: any PaymentLedger, watchList: BookingWatchList, verifier: SocketTokenVerifier?) {
        if let verifier {
            let authentication = SocketAuthentication(verifier: verifier, logger: self.logger)
            io.main.use(authentication.authenticate)
        }
        let subscriptions = BookingSubscriptions(
            ledger: ledger,
            watchList: watchList,
            verifier: verifier,
            maximumSubscriptionsPerSocket: self.configuration.security.maximumSubscriptionsPerSocket,
            logger: self.logger
        )
        // Handlers shared by all sockets of the namespace: nothing is registered per connection.
        subscriptions.register(on: io.main)
        io.main.onDisconnecting { socket, reason in
            if reason == .rateLimited { socket.emit("rate_limited", ["message": "too many packets"]) }
            if reason == .slowConsumer { self.metrics.slowConsumerDisconnected() }
        }
        if verifier != nil {
            io.main.onConnection { socket in SocketAuthentication.disconnectAtExpiry(socket) }
        }
    }

    private func pollerServices(watchList: BookingWatchList, lease: any PollLease, processor: PaymentProcessor) -> [any Service] {
        guard let urlTemplate = self.configuration.paymentAPIURL else { return [] }
        let source = MeasuredStatusSource(
            source: HTTPPaymentStatusSource(
                client: .shared,
                urlTemplate: urlTemplate,
                apiKey: self.configuration.paymentAPIKey,
                mapping: self.configuration.paymentAPIMapping
            ),
            metrics: self.metrics
        )
        return [
            PaymentPoller(
                configuration: .init(
                    interval: self.configuration.pollInterval,
                    maximumConcurrentRequests: self.configuration.pollConcurrency,
                    requestTimeout: self.configuration.pollTimeout
                ),
                source: source,
                watchList: watchList,
                lease: lease,
                logger: self.logger,
                onPaid: processor.settle
            )
        ]
    }

    /// The callback worker, when `MERCHANT_CALLBACK_URL` is set.
    private func callbackServices(outbox: any CallbackOutbox, wakeup: CallbackWakeup, feed: (any OperatorFeed)?) throws -> [any Service] {
        let callbacks = self.configuration.callbacks
        guard let url = callbacks.url else { return [] }
        return [
            CallbackDeliveryService(
                outbox: outbox,
                url: url,
                signer: try StandardWebhooksSigner(secrets: callbacks.secrets),
                policy: callbacks.retryPolicy,
                timeout: callbacks.timeout,
                concurrency: callbacks.concurrency,
                wakeup: wakeup,
                metrics: self.metrics,
                logger: self.logger,
                operatorFeed: feed
            )
        ]
    }

    /// `200 {"ready":true}`, or `503 {"ready":false,"problems":[…]}` naming what is not ready.
    static func readiness(problems: [String]) -> Response {
        struct Readiness: Encodable {
            let ready: Bool
            let problems: [String]
        }
        return JSONResponse.make(Readiness(ready: problems.isEmpty, problems: problems), status: problems.isEmpty ? .ok : .serviceUnavailable)
    }

    /// HTTP/1.1 with websocket upgrades, inside TLS when a certificate is configured. Requests
    /// are served on their connection's event loop: every route is short (its waits are awaits),
    /// and a webhook no longer crosses to Swift's pool and back.
    private func serverBuilder(io: SocketIOServer) throws -> HTTPServerBuilder {
        let http: HTTPServerBuilder = .socketIO(io) { responder in EventLoopServedChannel(HTTP1Channel(responder: responder)) }
        guard let tls = try Self.tlsConfiguration(for: self.configuration.security) else { return http }
        return try .tls(http, tlsConfiguration: tls)
    }

    /// The server's TLS from the configured PEM files; nil when TLS is off.
    static func tlsConfiguration(for security: SecurityConfiguration) throws(ConfigurationError) -> TLSConfiguration? {
        guard let certificatePath = security.tlsCertificatePath, let keyPath = security.tlsKeyPath else { return nil }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw ConfigurationError(variable: "TLS_CERT_PATH", "cannot load a PEM certificate chain from \(certificatePath): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigurationError(variable: "TLS_KEY_PATH", "cannot load a PEM private key from \(keyPath): \(error)")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }

    static func webhookAuthenticator(for security: SecurityConfiguration) throws(ConfigurationError) -> (any RequestAuthenticator)? {
        guard !security.webhookSecrets.isEmpty else { return nil }
        let tolerance = security.webhookTolerance / .seconds(1)
        do throws(SecretError) {
            switch security.webhookScheme {
            case .standard: return try StandardWebhooksAuthenticator(secrets: security.webhookSecrets, tolerance: tolerance)
            case .stripe: return try StripeSignatureAuthenticator(secrets: security.webhookSecrets, tolerance: tolerance)
            case .bearer: return try SharedTokenAuthenticator(scheme: .bearer, tokens: security.webhookSecrets)
            case .apikey: return try SharedTokenAuthenticator(scheme: .apiKey, tokens: security.webhookSecrets)
            }
        } catch {
            throw ConfigurationError(variable: "WEBHOOK_SECRET", error.message)
        }
    }

    private var engineConfiguration: EngineIOConfiguration {
        let origins = self.configuration.frontendOrigins
        return EngineIOConfiguration(
            path: "/socket.io/",
            // Credentials (cookies) only for origins named explicitly, never for "any".
            cors: origins.contains("*")
                ? EngineIOCORSConfiguration(allowedOrigins: .any)
                : EngineIOCORSConfiguration(allowedOrigins: .list(origins), allowCredentials: true),
            perMessageDeflate: self.configuration.websocketCompression ? EngineIOCompression() : nil,
            httpCompression: self.configuration.pollingCompression ? EngineIOCompression() : nil,
            allowEIO3: self.configuration.allowEIO3
        )
    }

    /// Says what Redis's persistence means for acknowledged payments, and refuses to start in
    /// production when Redis keeps them in memory only.
    private func checkDurability(of backend: StorageBackend) async throws(ConfigurationError) {
        guard let read = backend.durability else { return }
        let durability = await read()
        switch durability.severity(in: self.configuration.security.environment) {
        case .error:
            throw ConfigurationError(variable: "REDIS_URL", "Redis \(durability.summary); production mode refuses to start: run Redis with appendonly yes (appendfsync always loses nothing)")
        case .warning:
            self.logger.warning("Acknowledged payments are at risk: Redis \(durability.summary)")
        case .ok, .notice:
            self.logger.info("Redis persistence", metadata: ["redis.persistence": .string(durability.summary)])
        }
    }

    /// Says, once, what is open in this configuration.
    private func logStartupWarnings() {
        let security = self.configuration.security
        if let redis = self.configuration.redis {
            self.logger.notice("Starting in cluster mode", metadata: ["environment": .string(security.environment.rawValue), "redis": .string("\(redis.host):\(redis.port)/\(redis.database)")])
        } else {
            self.logger.notice("Starting", metadata: ["environment": .string(security.environment.rawValue), "ledger": .string(self.configuration.databasePath)])
        }
        for notice in self.configuration.startupNotices {
            self.logger.log(level: notice.level, "\(notice.message)")
        }
    }
}
