import AsyncHTTPClient
import EngineIO
import Hummingbird
import Logging
import Payments
import ServiceLifecycle
import SocketIO

/// Wires the notifier: the Socket.IO endpoint with booking subscriptions, the webhook, the
/// ledger, the poller and ledger pruning, as one Hummingbird application.
public struct PayNotifyApplication: Sendable {
    public let configuration: PayNotifyConfiguration
    public let logger: Logger

    public init(configuration: PayNotifyConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func makeApplication() throws -> some ApplicationProtocol {
        let ledger = try SQLiteLedger(path: self.configuration.databasePath, logger: self.logger)
        let watchList = BookingWatchList()
        let io = SocketIOServer(logger: self.logger)
        let engine = EngineIOServer(configuration: self.engineConfiguration, logger: self.logger, onConnection: io.makeClient)
        let processor = PaymentProcessor(ledger: ledger, io: io, watchList: watchList, logger: self.logger)

        let subscriptions = BookingSubscriptions(ledger: ledger, watchList: watchList, logger: self.logger)
        io.main.onConnection { socket in
            subscriptions.register(on: socket)
        }

        let router = Router(context: EngineIORequestContext.self)
        router.add(middleware: ConnectionCloseMiddleware())
        router.add(middleware: EngineIOMiddleware(server: engine))
        WebhookController(processor: processor, maximumBodyBytes: self.configuration.webhookMaxBodyBytes, logger: self.logger)
            .addRoutes(to: router)
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: #"{"status":"ok"}"#)))
        }

        var services: [any Service] = [
            ledger,
            LedgerPruningService(ledger: ledger, retention: .seconds(self.configuration.retentionDays * 86_400), logger: self.logger),
        ]
        if let urlTemplate = self.configuration.paymentAPIURL {
            let source = HTTPPaymentStatusSource(
                client: .shared,
                urlTemplate: urlTemplate,
                apiKey: self.configuration.paymentAPIKey,
                mapping: self.configuration.paymentAPIMapping
            )
            services.append(
                PaymentPoller(
                    configuration: .init(
                        interval: self.configuration.pollInterval,
                        maximumConcurrentRequests: self.configuration.pollConcurrency,
                        requestTimeout: self.configuration.pollTimeout
                    ),
                    source: source,
                    watchList: watchList,
                    logger: self.logger,
                    onPaid: processor.settle
                )
            )
        }
        self.logStartupWarnings()
        return Application(
            router: router,
            server: .engineIO([engine]),
            configuration: .init(address: .hostname(self.configuration.host, port: self.configuration.port), serverName: "paynotify"),
            services: services,
            logger: self.logger
        )
    }

    private var engineConfiguration: EngineIOConfiguration {
        let origins = self.configuration.frontendOrigins
        return EngineIOConfiguration(
            path: "/socket.io/",
            // Credentials (cookies) only for origins named explicitly, never for "any".
            cors: origins.contains("*")
                ? EngineIOCORSConfiguration(allowedOrigins: .any)
                : EngineIOCORSConfiguration(allowedOrigins: .list(origins), allowCredentials: true)
        )
    }

    /// Says, once, what is open in this configuration.
    private func logStartupWarnings() {
        self.logger.notice("Ledger", metadata: ["path": .string(self.configuration.databasePath)])
        if self.configuration.paymentAPIURL == nil {
            self.logger.notice("Provider polling is off: set PAYMENT_API_URL to enable it")
        }
        if self.configuration.frontendOrigins.contains("*") {
            self.logger.warning("FRONTEND_URL is *: any web page may connect cross-origin")
        }
        self.logger.warning("Webhooks are not authenticated: anyone who can reach /webhook/payment can report a payment")
        self.logger.warning("Sockets are not authenticated: any client may watch any booking")
    }
}
