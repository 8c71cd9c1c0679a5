import Hummingbird
import NIOCore

/// A request context that knows the client's address, so polling sessions record it the way
/// websocket sessions do. Any `RemoteAddressRequestContext` works with `EngineIOMiddleware`.
public struct EngineIORequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
