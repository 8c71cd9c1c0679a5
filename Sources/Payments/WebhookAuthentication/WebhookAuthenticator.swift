import Foundation

/// What a webhook arrived with: the raw body bytes (signatures are over exactly these) and its
/// headers, names lower-cased.
public struct WebhookRequest: Sendable {
    public let headers: [String: String]
    public let body: Data
    public let receivedAt: Date

    public init(headers: [String: String], body: Data, receivedAt: Date = Date()) {
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
        self.receivedAt = receivedAt
    }

    func header(_ name: String) throws(WebhookAuthenticationError) -> String {
        guard let value = self.headers[name], !value.isEmpty else { throw WebhookAuthenticationError(.missingHeader(name)) }
        return value
    }
}

/// Proof that a webhook came from the provider.
public struct WebhookAuthentication: Sendable, Hashable {
    /// An id unique to this delivery of this message, when the scheme has one: a second
    /// delivery with the same id is a replay (or a retry) and is not processed again.
    public let messageID: String?

    public init(messageID: String?) {
        self.messageID = messageID
    }
}

/// Checks a webhook's credentials: a signature over its body, or a shared token.
public protocol WebhookAuthenticator: Sendable {
    func authenticate(_ request: WebhookRequest) throws(WebhookAuthenticationError) -> WebhookAuthentication
}

/// Why a webhook was refused as unauthenticated. The description is safe to send back: it says
/// what is wrong without revealing anything about the secret.
public struct WebhookAuthenticationError: Error, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case missingHeader(String)
        case malformedHeader(String)
        case timestampOutsideTolerance
        case signatureMismatch
        case wrongCredentials
        /// The route has no credential configured, so it accepts nothing; names the variable.
        case notConfigured(String)
    }

    public let reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch self.reason {
        case .missingHeader(let name): "missing \(name) header"
        case .malformedHeader(let name): "malformed \(name) header"
        case .timestampOutsideTolerance: "timestamp outside the accepted tolerance"
        case .signatureMismatch: "signature does not match"
        case .wrongCredentials: "wrong credentials"
        case .notConfigured(let variable): "not configured (set \(variable))"
        }
    }
}
