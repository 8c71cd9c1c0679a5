import Foundation
import HTTPTypes

/// The dashboard's session cookie, `paynotify_admin`: HttpOnly (no script can read it),
/// SameSite=Strict (no other site's page can send it), Path=/ (the dashboard's live feed comes
/// through the server's one Socket.IO endpoint, `/socket.io/`, whose handshake must carry it),
/// Secure when the dashboard is served over HTTPS.
struct AdminSessionCookie: Sendable {
    static let name = "paynotify_admin"

    let access: AdminAccess

    /// The session the request's cookies carry, checked: its expiry.
    func verify(_ headers: HTTPFields, now: Date = Date()) throws(AdminSessionError) -> Date {
        guard let value = Self.value(in: headers) else { throw .missing }
        return try self.access.verifySession(value, now: now)
    }

    /// `Set-Cookie` for a new session.
    func setting(_ session: String, secure: Bool) -> String {
        Self.attributes("\(Self.name)=\(session)", maxAge: Int(self.access.sessionLifetime / .seconds(1)), secure: secure)
    }

    /// `Set-Cookie` that makes the browser forget the session.
    func clearing(secure: Bool) -> String {
        Self.attributes("\(Self.name)=", maxAge: 0, secure: secure)
    }

    /// Whether the browser reached the dashboard over HTTPS: TLS here, or a proxy saying so.
    /// (A forged `X-Forwarded-Proto` only makes the cookie stricter.)
    static func isSecure(_ headers: HTTPFields, tls: Bool) -> Bool {
        tls || headers[.xForwardedProto]?.lowercased() == "https"
    }

    static func value(in headers: HTTPFields) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == Self.name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    private static func attributes(_ pair: String, maxAge: Int, secure: Bool) -> String {
        "\(pair); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}

extension HTTPField.Name {
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
