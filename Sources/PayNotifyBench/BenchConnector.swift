import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Opens bench connections: TCP from a chosen local address, the websocket upgrade to the
/// Engine.IO endpoint (directly, or after a long-polling start: `BenchTransportPath`), then
/// hands the channel to a `BenchSocketHandler`.
struct BenchConnector: Sendable {
    let target: BenchTarget
    let group: any EventLoopGroup
    let recorder: BenchRecorder
    /// See `BenchSettings.subscriptionsAcknowledged`.
    let subscriptionsAcknowledged: Bool
    let transportPath: BenchTransportPath
    let requestHeaders: BenchRequestHeaders

    /// `IP_BIND_ADDRESS_NO_PORT` (Linux): a bound source address gets its port at `connect`, as
    /// an unbound socket does. Binding with port 0 instead searches the bound ports for a free
    /// one, which at tens of thousands of connections made the bench's kernel time its bottleneck.
    static let bindAddressNoPort = ChannelOptions.Types.SocketOption(level: .init(rawValue: 0), name: .init(rawValue: 24))

    /// A connection that is never answered counts as a failure instead of stalling the run.
    private static let limit = TimeAmount.seconds(30)

    /// Connects (from `localAddress`, or the default source address when nil) and resolves once
    /// the socket is subscribed to `bookings`, with the channel (kept open by the caller) and the
    /// time it took.
    func connect(from localAddress: SocketAddress?, bookings: [String]) async throws -> (any Channel, Duration) {
        let started = NIODeadline.now()
        let channel: any Channel
        switch self.transportPath {
        case .websocket:
            let (webSocket, subscribed) = try await self.openWebSocket(path: self.target.webSocketPath, from: localAddress, bookings: bookings, upgrade: nil)
            channel = try await Self.awaitSubscribed(webSocket, subscribed)
        case .pollingThenUpgrade:
            channel = try await self.connectThroughPolling(from: localAddress, bookings: bookings)
        }
        return (channel, .nanoseconds((NIODeadline.now() - started).nanoseconds))
    }

    /// The default transports: CONNECT over polling, a poll left pending, the websocket probe,
    /// the pending poll's `noop`, then `upgrade` and the subscriptions over the websocket.
    private func connectThroughPolling(from localAddress: SocketAddress?, bookings: [String]) async throws -> any Channel {
        try await PollingExchange.with(target: self.target, requestHeaders: self.requestHeaders, group: self.group, from: localAddress) { polling in
            try await polling.connect()
            try await polling.startPoll()
            let probeAnswered = self.group.next().makePromise(of: Void.self)
            let (webSocket, subscribed) = try await self.openWebSocket(
                path: self.target.webSocketPath + "&sid=\(polling.sessionID)",
                from: localAddress,
                bookings: bookings,
                upgrade: probeAnswered
            )
            do {
                try await probeAnswered.futureResult.get()
                try await polling.finishPoll()
            } catch {
                webSocket.close(promise: nil)
                throw error
            }
            webSocket.pipeline.fireUserInboundEventTriggered(BenchSocketHandler.CompleteUpgrade())
            return try await Self.awaitSubscribed(webSocket, subscribed)
        }
    }

    /// Opens the websocket; `upgrade` set: it upgrades a polling session, succeeding `upgrade`
    /// once the probe is answered.
    private func openWebSocket(
        path: String,
        from localAddress: SocketAddress?,
        bookings: [String],
        upgrade: EventLoopPromise<Void>?
    ) async throws -> (any Channel, EventLoopPromise<Void>) {
        let recorder = self.recorder
        let target = self.target
        let acknowledged = self.subscriptionsAcknowledged
        let requestHeaders = self.requestHeaders
        var bootstrap = ClientBootstrap(group: self.group)
        if let localAddress {
            bootstrap = bootstrap.channelOption(Self.bindAddressNoPort, value: 1).bind(to: localAddress)
        }
        return try await bootstrap
            .connect(to: target.address) { channel -> EventLoopFuture<(any Channel, EventLoopPromise<Void>)> in
                channel.eventLoop.makeCompletedFuture {
                    let subscribed = channel.eventLoop.makePromise(of: Void.self)
                    let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: 1 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                BenchSocketHandler(bookings: bookings, acknowledged: acknowledged, recorder: recorder, subscribed: subscribed, upgrade: upgrade)
                            )
                            return true
                        }
                    }
                    var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
                    head.headers.add(name: "Host", value: target.hostHeader)
                    requestHeaders.add(to: &head.headers)
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
                        if !upgraded {
                            subscribed.fail(BenchError.upgradeRefused)
                            upgrade?.fail(BenchError.upgradeRefused)
                        } else if upgrade != nil {
                            // Once the HTTP handlers are gone: a frame written earlier would meet them.
                            channel.pipeline.fireUserInboundEventTriggered(BenchSocketHandler.StartProbe())
                        }
                    }
                    upgraded.whenFailure { error in
                        subscribed.fail(error)
                        upgrade?.fail(error)
                    }
                    // Bounded, from the first byte to the last subscription.
                    let deadline = channel.eventLoop.scheduleTask(in: Self.limit) {
                        subscribed.fail(BenchError.notSubscribedInTime)
                        upgrade?.fail(BenchError.notSubscribedInTime)
                    }
                    subscribed.futureResult.whenComplete { _ in deadline.cancel() }
                    return (channel, subscribed)
                }
            }
    }

    private static func awaitSubscribed(_ channel: any Channel, _ subscribed: EventLoopPromise<Void>) async throws -> any Channel {
        do {
            try await subscribed.futureResult.get()
            return channel
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }
}
