import Foundation
import Payments

/// Where and how the merchant's backend is told of payments (`MERCHANT_CALLBACK_*`): signed
/// POSTs of the outbox's events, retried on the policy's schedule. Off without a URL.
public struct CallbackConfiguration: Sendable {
    /// The merchant's endpoint; nil: no callbacks (and no outbox events written).
    public var url: String?
    /// `whsec_<base64>` secrets, each signing every callback (the first is the current one).
    public var secrets: [String] = []
    public var retryPolicy = CallbackRetryPolicy()
    /// Time limit of one attempt.
    public var timeout: Duration = .seconds(10)
    /// Attempts in flight at most.
    public var concurrency = 8

    public init() {}

    public var isEnabled: Bool { self.url != nil }

    static let variables: [(name: String, help: String)] = [
        ("MERCHANT_CALLBACK_URL", "http(s) URL the merchant's backend receives signed payment events at; unset: no callbacks"),
        ("MERCHANT_CALLBACK_SECRET", "Standard Webhooks secret(s) whsec_<base64> signing the callbacks; space-separated to rotate (required with the URL)"),
        ("MERCHANT_CALLBACK_SCHEDULE", "waits between attempts, comma-separated, e.g. 5s,30s,2m,1h (default 5s,30s,2m,10m,30m,1h,2h,4h,8h,12h,16h,24h)"),
        ("MERCHANT_CALLBACK_TIMEOUT", "time limit of one callback attempt: 10, 2.5, 500ms (default 10)"),
        ("MERCHANT_CALLBACK_CONCURRENCY", "callback attempts in flight at most (default 8)"),
    ]

    static func load(from variables: [String: String]) throws(ConfigurationError) -> CallbackConfiguration {
        var configuration = CallbackConfiguration()
        let reader = VariableReader(variables: variables)
        let secrets = reader.text("MERCHANT_CALLBACK_SECRET").map { $0.split(whereSeparator: \.isWhitespace).map(String.init) } ?? []
        if let value = reader.text("MERCHANT_CALLBACK_URL") {
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError(variable: "MERCHANT_CALLBACK_URL", "'\(value)' is not an http(s) URL")
            }
            guard !secrets.isEmpty else {
                throw ConfigurationError(variable: "MERCHANT_CALLBACK_SECRET", "required with MERCHANT_CALLBACK_URL: callbacks are always signed (whsec_ followed by the base64 of at least 16 bytes)")
            }
            configuration.url = value
        } else if !secrets.isEmpty {
            throw ConfigurationError(variable: "MERCHANT_CALLBACK_SECRET", "set without MERCHANT_CALLBACK_URL: there is nowhere to send callbacks")
        }
        do {
            if !secrets.isEmpty { _ = try StandardWebhooksSigner(secrets: secrets) }
        } catch {
            throw ConfigurationError(variable: "MERCHANT_CALLBACK_SECRET", error.message)
        }
        configuration.secrets = secrets
        if let text = reader.text("MERCHANT_CALLBACK_SCHEDULE") {
            configuration.retryPolicy = CallbackRetryPolicy(schedule: try Self.schedule(text))
        }
        if let timeout = try reader.duration("MERCHANT_CALLBACK_TIMEOUT", minimum: .milliseconds(50)) { configuration.timeout = timeout }
        if let concurrency = try reader.integer("MERCHANT_CALLBACK_CONCURRENCY", range: 1...256) { configuration.concurrency = concurrency }
        return configuration
    }

    /// `5s,30s,2m,…`: 1 to 50 waits of 50 ms to a day each.
    static func schedule(_ text: String) throws(ConfigurationError) -> [Duration] {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...50).contains(entries.count) else {
            throw ConfigurationError(variable: "MERCHANT_CALLBACK_SCHEDULE", "lists 1 to 50 waits, comma-separated (e.g. 5s,30s,2m); got \(entries.count)")
        }
        var waits: [Duration] = []
        for entry in entries {
            guard let wait = VariableReader.duration(entry), wait >= .milliseconds(50), wait <= .seconds(86_400) else {
                throw ConfigurationError(variable: "MERCHANT_CALLBACK_SCHEDULE", "'\(entry)' is not a wait from 50ms to 24h (e.g. 500ms, 5s, 2m, 1h)")
            }
            waits.append(wait)
        }
        return waits
    }
}
