import HTTPTypes
import Hummingbird

/// Answers `Connection: close` requests with `Connection: close`.
///
/// The HTTP server closes such connections after the response but does not say so; a client
/// whose agent keeps sockets alive by default (Node.js ≥ 19, so `fetch` in Node and polling
/// clients built on it) then reuses the closed socket and its next request fails with
/// "socket hang up".
struct ConnectionCloseMiddleware<Context: RequestContext>: RouterMiddleware {
    init() {}

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if let connection = request.headers[.connection], connection.lowercased().contains("close") {
            response.headers[.connection] = "close"
        }
        return response
    }
}
