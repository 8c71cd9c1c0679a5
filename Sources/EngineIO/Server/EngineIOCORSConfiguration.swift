import HTTPTypes

/// Which web origins may use the polling transport cross-origin, and whether with credentials.
///
/// Websocket connections are not subject to CORS; browsers send `Origin` but never preflight them.
public struct EngineIOCORSConfiguration: Sendable {
    /// The origins whose pages may poll.
    public enum AllowedOrigins: Sendable, Hashable {
        /// No CORS headers: only same-origin pages can poll.
        case none
        /// Any origin. With credentials the request's own origin is echoed, as browsers refuse `*`.
        case any
        /// Exactly these origins (scheme, host and port, e.g. `https://shop.example`).
        case list([String])
    }

    /// The origins whose pages may poll.
    public var allowedOrigins: AllowedOrigins
    /// Whether those pages may send cookies and `Authorization`
    /// (`Access-Control-Allow-Credentials`).
    public var allowCredentials: Bool
    /// How long browsers may cache a preflight answer, in seconds.
    public var maxAgeSeconds: Int

    /// - Parameters:
    ///   - allowedOrigins: The origins whose pages may poll.
    ///   - allowCredentials: Whether they may send credentials.
    ///   - maxAgeSeconds: How long browsers may cache a preflight answer.
    public init(allowedOrigins: AllowedOrigins, allowCredentials: Bool = false, maxAgeSeconds: Int = 86_400) {
        self.allowedOrigins = allowedOrigins
        self.allowCredentials = allowCredentials
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// No cross-origin access, the default: only pages of the server's own origin can poll.
    public static let none = EngineIOCORSConfiguration(allowedOrigins: .none)

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, or nil when that origin
    /// is not allowed.
    func allowOriginValue(for origin: String?) -> String? {
        switch self.allowedOrigins {
        case .none:
            return nil
        case .any:
            if self.allowCredentials, let origin { return origin }
            return "*"
        case .list(let origins):
            guard let origin, origins.contains(origin) else { return nil }
            return origin
        }
    }

    /// Adds the CORS answer headers for a request carrying `origin`.
    func apply(to headers: inout HTTPFields, origin: String?, preflight: Bool) {
        guard let allowed = self.allowOriginValue(for: origin) else { return }
        headers[.accessControlAllowOrigin] = allowed
        if allowed != "*" { headers[.vary] = "Origin" }
        if self.allowCredentials { headers[.accessControlAllowCredentials] = "true" }
        if preflight {
            headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            headers[.accessControlAllowHeaders] = "Content-Type, Authorization"
            headers[.accessControlMaxAge] = String(self.maxAgeSeconds)
        }
    }
}
