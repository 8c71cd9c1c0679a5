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
        notices += self.providerNotices
        if !self.security.requiresSocketTokens {
            notices.append(StartupNotice(level: .warning, message: "Sockets are not authenticated (no JWT_SECRET or JWT_PUBLIC_KEY): any client may watch any booking"))
        }
        if self.security.tlsCertificatePath == nil {
            notices.append(StartupNotice(level: .notice, message: "TLS is off: serve behind a TLS-terminating proxy, or set TLS_CERT_PATH and TLS_KEY_PATH"))
        }
        if self.servesDemoPage {
            notices.append(StartupNotice(level: .notice, message: "Demo checkout page at /demo?booking=ID&amount=N (DEMO=0 turns it off)"))
        }
        if self.simulatesPayments {
            notices.append(StartupNotice(level: .warning, message: "The demo page's simulate button is on (development mode): POST /demo/simulate records payments without a provider"))
        }
        if self.dashboardToken == nil {
            notices.append(StartupNotice(level: .notice, message: "The operator dashboard is off: set ADMIN_TOKEN (or MERCHANT_API_KEY) to log in at /admin"))
        } else {
            let source = self.operations.adminToken == nil ? "MERCHANT_API_KEY (set ADMIN_TOKEN to give operators their own token)" : "ADMIN_TOKEN"
            notices.append(StartupNotice(level: .notice, message: "Operator dashboard at /admin, logged in with \(source)"))
        }
        if self.operations.metricsToken == nil {
            notices.append(StartupNotice(level: .notice, message: "GET /metrics is open (no METRICS_TOKEN): keep it off the public network"))
        }
        return notices
    }

    /// Provider routes without credentials, the merchant API without a key, VietQR without a bank account.
    private var providerNotices: [StartupNotice] {
        var notices: [StartupNotice] = []
        let providers = self.providers
        let credentials = [("pay2s", "PAY2S_TOKEN", providers.pay2sToken), ("sepay", "SEPAY_API_KEY", providers.sepayAPIKey), ("casso", "CASSO_SECRET", providers.cassoSecret)]
        for (provider, variable, credential) in credentials where credential == nil {
            if providers.openWithoutCredentials {
                notices.append(StartupNotice(level: .warning, message: "Provider webhook /webhook/\(provider) is open (PROVIDER_WEBHOOKS_OPEN): anyone can report a payment"))
            } else {
                notices.append(StartupNotice(level: .notice, message: "Provider webhook /webhook/\(provider) refuses everything until \(variable) is set"))
            }
        }
        if providers.merchantAPIKey == nil {
            if self.security.environment == .development {
                notices.append(StartupNotice(level: .warning, message: "The merchant API is not authenticated (no MERCHANT_API_KEY): anyone can register bookings, read payments and events, and redeliver callbacks"))
            } else {
                notices.append(StartupNotice(level: .notice, message: "The merchant API (/api/bookings, /api/unmatched, /api/payments, /api/events) refuses everything until MERCHANT_API_KEY is set"))
            }
        }
        if providers.bankAccount == nil {
            notices.append(StartupNotice(level: .notice, message: "VietQR links are off: set BANK_ID and BANK_ACCOUNT_NUMBER to enable GET /api/bookings/{id}/qr"))
        }
        return notices
    }
}
