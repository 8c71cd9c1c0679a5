import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Opens bench connections: TCP from a chosen local address, the websocket upgrade to the
/// Engine.IO endpoint, then hands the channel to a `BenchSocketHandler`.
struct BenchConnector: Sendable {
    let target: BenchTarget
    let group: any EventLoopGroup
    let recorder: BenchRecorder
    /// See `BenchSettings.subscriptionsAcknowledged`.
    let subscriptionsAcknowledged: Bool

    /// `IP_BIND_ADDRESS_NO_PORT` (Linux): a bound source address gets its port at `connect`, as
    /// an unbound socket does. Binding with port 0 instead searches the bound ports for a free
    /// one, which at tens of thousands of connections made the bench's kernel time its bottleneck.
    private static let bindAddressNoPort = ChannelOptions.Types.SocketOption(level: .init(rawValue: 0), name: .init(rawValue: 24))

    /// Connects (from `localAddress`, or the default source address when nil) and resolves once
    /// the socket is subscribed to `bookings`, with the channel (kept open by the caller) and the
    /// time it took.
    func connect(from localAddress: SocketAddress?, bookings: [String]) async throws -> (any Channel, Duration) {
        let started = NIODeadline.now()
        let recorder = self.recorder
        let target = self.target
        let acknowledged = self.subscriptionsAcknowledged
        var bootstrap = ClientBootstrap(group: self.group)
        if let localAddress {
            bootstrap = bootstrap.channelOption(Self.bindAddressNoPort, value: 1).bind(to: localAddress)
        }
        let (channel, subscribed) = try await bootstrap
            .connect(to: target.address) { channel -> EventLoopFuture<(any Channel, EventLoopPromise<Void>)> in
                channel.eventLoop.makeCompletedFuture {
                    let subscribed = channel.eventLoop.makePromise(of: Void.self)
                    let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: 1 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                BenchSocketHandler(bookings: bookings, acknowledged: acknowledged, recorder: recorder, subscribed: subscribed)
                            )
                            return true
                        }
                    }
                    var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.webSocketPath)
                    head.headers.add(name: "Host", value: target.hostHeader)
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Bool>(
                        upgradeRequestHead: head,
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(false) }
                    )
                    var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: configuration)
                    // The server's open packet may arrive in the same read as its 101 response.
                    pipeline.leftOverBytesStrategy = .forwardBytes
                    let upgraded = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
                    upgraded.whenSuccess { upgraded in
                        if !upgraded { subscribed.fail(BenchError.upgradeRefused) }
                    }
                    upgraded.whenFailure { subscribed.fail($0) }
                    return (channel, subscribed)
                }
            }
        // Bounded: a connection that is never answered counts as a failure instead of stalling the run.
        let deadline = channel.eventLoop.scheduleTask(in: .seconds(30)) {
            subscribed.fail(BenchError.notSubscribedInTime)
        }
        do {
            try await subscribed.futureResult.get()
            deadline.cancel()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return (channel, .nanoseconds((NIODeadline.now() - started).nanoseconds))
    }
}
