import Logging

/// One thing a configuration leaves open or off, said at start-up and by `paynotify doctor`.
public struct StartupNotice: Sendable, Hashable {
    public let level: Logger.Level
    public let message: String
}

extension PayNotifyConfiguration {
    /// What is open or off in this configuration (development mode allows it; production mode
    /// refuses the worst of it at load).
    public var startupNotices: [StartupNotice] {
        var notices: [StartupNotice] = []
        if self.paymentAPIURL == nil {
            notices.append(StartupNotice(level: .notice, message: "Provider polling is off: set PAYMENT_API_URL to enable it"))
        }
        if self.frontendOrigins.contains("*") {
            notices.append(StartupNotice(level: .warning, message: "FRONTEND_URL is *: any web page may connect cross-origin"))
        }
        if self.security.webhookSecrets.isEmpty {
            notices.append(StartupNotice(level: .warning, message: "Webhooks are not authenticated (no WEBHOOK_SECRET): anyone who can reach /webhook/payment can report a payment"))
        }
        if !self.security.requiresSocketTokens {
            notices.append(StartupNotice(level: .warning, message: "Sockets are not authenticated (no JWT_SECRET or JWT_PUBLIC_KEY): any client may watch any booking"))
        }
        if self.security.tlsCertificatePath == nil {
            notices.append(StartupNotice(level: .notice, message: "TLS is off: serve behind a TLS-terminating proxy, or set TLS_CERT_PATH and TLS_KEY_PATH"))
        }
        if self.operations.metricsToken == nil {
            notices.append(StartupNotice(level: .notice, message: "GET /metrics is open (no METRICS_TOKEN): keep it off the public network"))
        }
        return notices
    }
}
