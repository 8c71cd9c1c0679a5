import EngineIO
import Foundation
import Hummingbird
import Logging
import NIOCore
import Payments

/// `POST /admin/login` trades the admin token, sent in the body (`{"token":"…"}` or the form's
/// `token=…`, never the query string, which lands in logs), for a session cookie: 200
/// `{"success":true,"expiresAt":…}`, or 401 for a wrong token. Attempts are rate-limited per
/// client address (429 with `Retry-After`), so the token cannot be guessed at speed.
/// `POST /admin/logout` clears the cookie.
struct AdminLoginController<Context: RequestContext>: Sendable {
    static var maximumBodyBytes: Int { 4096 }

    let cookie: AdminSessionCookie
    let addresses: ClientAddressResolver
    let limiter: TokenBucketLimiter
    /// Whether this server terminates TLS itself (the cookie is then always Secure).
    let tls: Bool

    func addRoutes(to router: Router<Context>) {
        router.post("/admin/login") { request, context in
            await self.login(request, context: context)
        }
        router.post("/admin/logout") { request, _ in
            var response = JSONResponse.make(["success": true], status: .ok)
            response.headers[.setCookie] = self.cookie.clearing(secure: AdminSessionCookie.isSecure(request.headers, tls: self.tls))
            return response
        }
    }

    private struct LoginAnswer: Encodable {
        let success = true
        let expiresAt: String
    }

    private func login(_ request: Request, context: Context) async -> Response {
        let client = self.addresses.clientAddress(peer: (context as? any RemoteAddressRequestContext)?.remoteAddress, forwardedFor: request.headers[.xForwardedFor])
        if case .limited(let retryAfter) = self.limiter.take(for: client) {
            context.logger.warning("Dashboard login refused", metadata: ["client": .string(client), "reason": "rate limit"])
            var response = APIAnswer.refused("too many login attempts; wait and try again", status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(retryAfter.rounded(.up)))
            return response
        }
        let token: String
        do {
            token = try await Self.token(in: request)
        } catch {
            return APIAnswer.refused(error.message, status: .badRequest)
        }
        guard self.cookie.access.accepts(token: token) else {
            context.logger.warning("Dashboard login refused", metadata: ["client": .string(client), "reason": "wrong token"])
            return APIAnswer.refused("wrong admin token", status: .unauthorized)
        }
        let session = self.cookie.access.issueSession()
        context.logger.notice("Operator logged in to the dashboard", metadata: ["client": .string(client)])
        var response = JSONResponse.make(LoginAnswer(expiresAt: PaymentNotifications.timestamp(session.expiresAt)), status: .ok)
        response.headers[.setCookie] = self.cookie.setting(session.value, secure: AdminSessionCookie.isSecure(request.headers, tls: self.tls))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The token of a JSON body `{"token":"…"}` or a form body `token=…`.
    static func token(in request: Request) async throws(InputValidationError) -> String {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBodyBytes)
        } catch {
            throw InputValidationError("body larger than \(Self.maximumBodyBytes) bytes")
        }
        let bytes = Data(body.readableBytesView)
        let token: String?
        if request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            token = String(decoding: bytes, as: UTF8.self).split(separator: "&").compactMap { pair -> String? in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0] == "token" else { return nil }
                return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }.last
        } else {
            token = ((try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any])?["token"] as? String
        }
        guard let token, !token.isEmpty else {
            throw InputValidationError(#"send the admin token as {"token":"…"} (JSON) or token=… (form)"#)
        }
        return token
    }
}
