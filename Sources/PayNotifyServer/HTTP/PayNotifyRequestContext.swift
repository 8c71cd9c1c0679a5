import Hummingbird
import NIOCore

/// The app's request context: Hummingbird's, plus the peer's address, which the webhook guard
/// and the connection limits resolve the client address from.
struct PayNotifyRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
