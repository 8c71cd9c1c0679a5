import DequeModule
import NIOCore

/// Sends commands and matches Redis's replies to them in order (Redis answers in order on a
/// connection). On a subscriber connection, published messages are not replies: they go to
/// `onMessage`.
final class RESPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = (RESPCommand, EventLoopPromise<RESPValue>)
    typealias OutboundOut = ByteBuffer

    private let parser = RESPParser()
    private let onMessage: (@Sendable (String, ByteBuffer) -> Void)?
    private var received: ByteBuffer?
    private var pending = Deque<EventLoopPromise<RESPValue>>()

    init(onMessage: (@Sendable (String, ByteBuffer) -> Void)?) {
        self.onMessage = onMessage
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let (command, reply) = self.unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64)
        command.encode(into: &buffer)
        self.pending.append(reply)
        context.write(self.wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = self.unwrapInboundIn(data)
        if var received = self.received {
            received.writeBuffer(&incoming)
            self.received = received
        } else {
            self.received = incoming
        }
        do {
            while var buffer = self.received, let value = try self.parser.parse(&buffer) {
                self.received = buffer.readableBytes > 0 ? buffer : nil
                self.deliver(value)
            }
        } catch {
            self.failAll(RedisError.protocolViolation(error.description))
            context.close(promise: nil)
        }
    }

    private func deliver(_ value: RESPValue) {
        if let onMessage = self.onMessage, let parts = value.array {
            // ["message", channel, payload] for SUBSCRIBE (["smessage", …] for SSUBSCRIBE),
            // ["pmessage", pattern, channel, payload] for PSUBSCRIBE.
            if parts.count == 3, parts[0].string == "message" || parts[0].string == "smessage", let channel = parts[1].string, case .bulkString(let payload?) = parts[2] {
                onMessage(channel, payload)
                return
            }
            if parts.count == 4, parts[0].string == "pmessage", let channel = parts[2].string, case .bulkString(let payload?) = parts[3] {
                onMessage(channel, payload)
                return
            }
        }
        guard let reply = self.pending.popFirst() else { return }
        reply.succeed(value)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(RedisError.unavailable("connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.failAll(RedisError.unavailable("\(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: RedisError) {
        while let reply = self.pending.popFirst() { reply.fail(error) }
    }
}
