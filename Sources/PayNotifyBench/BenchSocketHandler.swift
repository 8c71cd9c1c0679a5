import Foundation
import NIOCore
import NIOWebSocket

/// One bench client: speaks Engine.IO 4 / Socket.IO 5 over a websocket, on the event loop and
/// without tasks, so the bench stays cheap next to the server it measures. Connects to `/`,
/// subscribes to its bookings (each acknowledged), answers pings, and records the
/// `transaction_success` events it receives.
final class BenchSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let bookings: [String]
    private let recorder: BenchRecorder
    private let subscribed: EventLoopPromise<Void>
    private var acknowledged = 0
    private var isSubscribed = false
    /// The `subscribed` promise is completed (it may be only once).
    private var settled = false

    init(bookings: [String], recorder: BenchRecorder, subscribed: EventLoopPromise<Void>) {
        self.bookings = bookings
        self.recorder = recorder
        self.subscribed = subscribed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            self.receive(String(buffer: frame.data), context: context)
        case .ping:
            self.send(frame.data, opcode: .pong, context: context)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    private func receive(_ text: String, context: ChannelHandlerContext) {
        switch text.utf8.first {
        case UInt8(ascii: "0"):
            self.send("40", context: context)
        case UInt8(ascii: "2"):
            self.send("3", context: context)
            self.recorder.pingAnswered()
        case UInt8(ascii: "4"):
            self.receiveSocketIO(text.dropFirst(), context: context)
        case UInt8(ascii: "1"):
            context.close(promise: nil)
        default:
            break
        }
    }

    private func receiveSocketIO(_ packet: Substring, context: ChannelHandlerContext) {
        if packet.hasPrefix("0") {
            for (index, booking) in self.bookings.enumerated() {
                self.send(#"42\#(index + 1)["subscribe_booking",{"bookingId":"\#(booking)"}]"#, context: context)
            }
        } else if packet.hasPrefix("3") {
            guard packet.contains(#""ok":true"#) else {
                self.fail(BenchError.subscriptionRefused(String(packet)), context: context)
                return
            }
            self.acknowledged += 1
            if self.acknowledged == self.bookings.count, !self.settled {
                self.isSubscribed = true
                self.settled = true
                self.subscribed.succeed()
            }
        } else if packet.hasPrefix(#"2["transaction_success""#) {
            let now = NIODeadline.now()
            if let booking = Self.bookingID(in: packet) { self.recorder.delivered(booking, at: now) }
        } else if packet.hasPrefix("4") {
            self.fail(BenchError.connectRefused(String(packet)), context: context)
        }
    }

    /// The `bookingId` of an event's payload, found without a JSON parser (the bench must not
    /// be the bottleneck).
    private static func bookingID(in packet: Substring) -> String? {
        guard let key = packet.range(of: #""bookingId":""#) else { return nil }
        let rest = packet[key.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    private func send(_ text: String, context: ChannelHandlerContext) {
        self.send(context.channel.allocator.buffer(string: text), opcode: .text, context: context)
    }

    private func send(_ data: ByteBuffer, opcode: WebSocketOpcode, context: ChannelHandlerContext) {
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
        context.writeAndFlush(Self.wrapOutboundOut(frame), promise: nil)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        if !self.settled {
            self.settled = true
            self.subscribed.fail(error)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.isSubscribed {
            self.recorder.connectionLost()
        } else if !self.settled {
            self.settled = true
            self.subscribed.fail(BenchError.closedBeforeSubscribing)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error, context: context)
    }
}
