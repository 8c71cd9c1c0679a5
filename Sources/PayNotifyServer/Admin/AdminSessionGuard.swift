import HTTPTypes
import Hummingbird
import Logging

/// In front of the dashboard's API (`/admin/api/…`): only a request with a valid session cookie
/// gets through (401 otherwise). A request that changes something must also carry
/// `X-PayNotify-Admin: 1`, which a page of another origin cannot send without a CORS preflight
/// that is never granted (403 otherwise): with the SameSite=Strict cookie, no other site can
/// make an operator's browser redeliver anything.
struct AdminSessionGuard<Context: RequestContext>: RouterMiddleware {
    let cookie: AdminSessionCookie

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            _ = try self.cookie.verify(request.headers)
        } catch {
            context.logger.notice("Dashboard API request refused", metadata: ["route": .string(request.uri.path), "reason": .string(error.description)])
            return APIAnswer.refused(AdminNamespace.refusal, status: .unauthorized)
        }
        if ![.get, .head].contains(request.method), request.headers[.xPayNotifyAdmin] != "1" {
            context.logger.warning("Dashboard API request refused", metadata: ["route": .string(request.uri.path), "reason": "no X-PayNotify-Admin header"])
            return APIAnswer.refused("forbidden: send X-PayNotify-Admin: 1 with requests that change something", status: .forbidden)
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xPayNotifyAdmin = HTTPField.Name("X-PayNotify-Admin")!
}
