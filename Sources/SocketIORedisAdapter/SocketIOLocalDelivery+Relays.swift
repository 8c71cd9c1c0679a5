import MessagePack
import SocketIO
import Synchronization

/// What both Redis protocols (the classic adapter's requests and the sharded adapter's cluster
/// messages) do with another node's server-side event and broadcast with acknowledgements:
/// the same work on this node, answered in each protocol's own messages.
extension SocketIOLocalDelivery {
    /// Runs this node's handlers for another node's server-side event, `[name, …arguments]` as
    /// both protocols carry it. `reply`, when the asking node waits for an answer, gets the first
    /// `ack` argument, once (Node's callback takes one and ignores later calls).
    func runServerSideEvent(_ packet: [MessagePackValue], reply: (@Sendable (MessagePackValue) -> Void)?) async {
        guard let name = packet.first?.stringValue else { return }
        let once = reply.map { reply in
            let answered = Atomic(false)
            return { @Sendable (arguments: [SocketIOValue]) in
                guard !answered.exchange(true, ordering: .relaxed) else { return }
                reply(arguments.first.map(MessagePackValue.init) ?? .null)
            }
        }
        await self.receiveServerSideEvent(SocketIOServerSideEvent(name: name, arguments: packet.dropFirst().map(SocketIOValue.init), reply: once))
    }

    /// Another node's broadcast with acknowledgements: asks this node's selected sockets, tells
    /// `counted` how many it asked, then `answered` each answer as it arrives, in that order.
    func relayBroadcastWithAck(
        _ packet: SocketIOPacket,
        options: SocketIOBroadcastOptions,
        timeout: Duration,
        counted: (Int) async -> Void,
        answered: (SocketIOValue) async -> Void
    ) async {
        guard let (name, arguments) = packet.eventNameAndArguments else { return }
        // One stream keeps the order: the count is told before any answer.
        enum Step: Sendable {
            case counted(Int)
            case answered(SocketIOValue)
        }
        let (steps, continuation) = AsyncStream.makeStream(of: Step.self)
        async let broadcast: Void = {
            await self.broadcastWithAck(
                name, arguments, options: options, timeout: timeout,
                onAsked: { continuation.yield(.counted($0)) },
                onAnswer: { continuation.yield(.answered($0)) }
            )
            continuation.finish()
        }()
        for await step in steps {
            switch step {
            case .counted(let clientCount): await counted(clientCount)
            case .answered(let answer): await answered(answer)
            }
        }
        await broadcast
    }
}

extension Duration {
    /// Whole milliseconds, as Node's timeouts are written in messages.
    var wholeMilliseconds: Int {
        Int(self.components.seconds * 1000 + self.components.attoseconds / 1_000_000_000_000_000)
    }
}
