import Logging
import Hummingbird

/// Routes requests for an Engine.IO endpoint's path (any method, so protocol errors such as a
/// PUT handshake get their Engine.IO answer) to the endpoint; everything else goes on.
public struct EngineIOMiddleware<Context: RequestContext>: RouterMiddleware {
    let server: EngineIOServer

    public init(server: EngineIOServer) {
        self.server = server
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard self.server.matches(path: request.uri.path) else {
            return try await next(request, context)
        }
        let remoteAddress = (context as? any RemoteAddressRequestContext)?.remoteAddress
        return await self.server.respond(to: request, remoteAddress: remoteAddress)
    }
}
