import Logging
import Payments

/// The provider webhook routes, the merchant API's access, and what start-up says about them.
extension PayNotifyApplication {
    /// The reference design's webhook: `POST /webhook/payment`.
    static let genericWebhookRoute = "payment"

    /// Every webhook route and its provider: the reference webhook and one per provider.
    func webhooks() throws(ConfigurationError) -> [(route: String, webhook: any PaymentWebhook)] {
        let providers = self.configuration.providers
        let generic: CredentialAccess = try Self.webhookAuthenticator(for: self.configuration.security).map { .authenticated($0) } ?? .open
        return [
            (Self.genericWebhookRoute, GenericWebhook(access: generic)),
            (Pay2SWebhook.provider, Pay2SWebhook(access: try self.providerAccess("PAY2S_TOKEN", providers.pay2sToken) { token throws(SecretError) in
                try SharedTokenAuthenticator(scheme: .bearer, tokens: [token])
            })),
            (SePayWebhook.provider, SePayWebhook(access: try self.providerAccess("SEPAY_API_KEY", providers.sepayAPIKey) { key throws(SecretError) in
                try SharedTokenAuthenticator(scheme: .apiKey, tokens: [key])
            })),
            (CassoWebhook.provider, CassoWebhook(access: try self.providerAccess("CASSO_SECRET", providers.cassoSecret) { secret throws(SecretError) in
                try CassoSignatureAuthenticator(secrets: [secret])
            })),
        ]
    }

    /// A provider's route checks its credential; without one it accepts nothing, unless
    /// development mode was explicitly opened (`PROVIDER_WEBHOOKS_OPEN`).
    func providerAccess(
        _ variable: String,
        _ credential: String?,
        openWhenUnset: Bool? = nil,
        authenticator: (String) throws(SecretError) -> any RequestAuthenticator
    ) throws(ConfigurationError) -> CredentialAccess {
        guard let credential else {
            return openWhenUnset ?? self.configuration.providers.openWithoutCredentials ? .open : .closed(variable: variable)
        }
        do {
            return .authenticated(try authenticator(credential))
        } catch {
            throw ConfigurationError(variable: variable, error.message)
        }
    }

    /// The merchant API checks `MERCHANT_API_KEY`; unset, it is open in development and closed in production.
    func merchantAccess() throws(ConfigurationError) -> CredentialAccess {
        let development = self.configuration.security.environment == .development
        return try self.providerAccess("MERCHANT_API_KEY", self.configuration.providers.merchantAPIKey, openWhenUnset: development) { key throws(SecretError) in
            try SharedTokenAuthenticator(scheme: .bearer, tokens: [key])
        }
    }

    /// Says which provider routes are closed or open, and whether the merchant API is.
}
