import Foundation
import NIOCore
import NIOWebSocket

/// One bench client: speaks Engine.IO 4 / Socket.IO 5 over a websocket, on the event loop and
/// without tasks, so the bench stays cheap next to the server it measures. Connects to `/`,
/// subscribes to its bookings, answers pings, and records the `transaction_success` events it
/// receives, counting for each of its bookings how many copies arrived.
///
/// On a websocket that upgrades a polling session (already connected to `/`), it sends the
/// probe, reports the answer, and sends `upgrade` and its subscriptions on `CompleteUpgrade`:
/// after the pending poll ended, as the official client waits for it.
final class BenchSocketHandler: ChannelInboundHandler {
    /// Sent through the pipeline once the websocket is up, to start the probe.
    struct StartProbe {}
    /// Sent through the pipeline once the polling side of an upgrade is done.
    struct CompleteUpgrade {}

    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let bookings: [String]
    /// Subscriptions are acknowledged (PayNotify); otherwise (the Node reference) the socket is
    /// subscribed once its subscribe packets are written.
    private let acknowledged: Bool
    private let recorder: BenchRecorder
    private let subscribed: EventLoopPromise<Void>
    /// Upgrading: succeeded when the server answers the probe.
    private let probeAnswered: EventLoopPromise<Void>?
    private var acks = 0
    /// `transaction_success` copies received, per entry of `bookings`.
    private var received: [Int]
    private var isSubscribed = false
    /// The `subscribed` promise is completed (it may be only once).
    private var settled = false

    init(bookings: [String], acknowledged: Bool, recorder: BenchRecorder, subscribed: EventLoopPromise<Void>, upgrade probeAnswered: EventLoopPromise<Void>? = nil) {
        self.bookings = bookings
        self.acknowledged = acknowledged
        self.recorder = recorder
        self.subscribed = subscribed
        self.probeAnswered = probeAnswered
        self.received = Array(repeating: 0, count: bookings.count)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is StartProbe:
            self.send("2probe", context: context)
        case is CompleteUpgrade:
            self.send("5", context: context)
            self.subscribe(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            self.recorder.textFrameReceived()
            let bytes = frame.data.readableBytesView
            if bytes.starts(with: Self.transactionSuccess) {
                self.count(delivery: Self.bookingID(in: bytes), at: .now())
            } else {
                self.receive(String(buffer: frame.data), context: context)
            }
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
        case UInt8(ascii: "3") where text == "3probe":
            self.probeAnswered?.succeed()
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
            self.subscribe(context: context)
        } else if packet.hasPrefix("3") {
            guard packet.contains(#""ok":true"#) else {
                self.fail(BenchError.subscriptionRefused(String(packet)), context: context)
                return
            }
            self.acks += 1
            if self.acks == self.bookings.count { self.markSubscribed() }
        } else if packet.hasPrefix("4") {
            self.fail(BenchError.connectRefused(String(packet)), context: context)
        }
    }

    /// Sends `subscribe_booking` for each booking: with ack ids when the server acknowledges,
    /// else without, completing once the last packet is written.
    private func subscribe(context: ChannelHandlerContext) {
        guard !self.bookings.isEmpty else { return self.markSubscribed() }
        let written = self.acknowledged ? nil : context.eventLoop.makePromise(of: Void.self)
        for (index, booking) in self.bookings.enumerated() {
            let ackID = self.acknowledged ? "\(index + 1)" : ""
            let promise = index == self.bookings.count - 1 ? written : nil
            self.send(#"42\#(ackID)["subscribe_booking",{"bookingId":"\#(booking)"}]"#, context: context, promise: promise)
        }
        // A failed write closes the channel, which fails `subscribed` in `channelInactive`.
        written?.futureResult.assumeIsolated().whenSuccess { self.markSubscribed() }
    }

    private func markSubscribed() {
        guard !self.settled else { return }
        self.isSubscribed = true
        self.settled = true
        self.subscribed.succeed()
    }

    private func count(delivery booking: String?, at time: NIODeadline) {
        guard let booking, let index = self.bookings.firstIndex(of: booking) else {
            return self.recorder.deliveredToStranger()
        }
        self.received[index] += 1
        if self.received[index] == 1 {
            self.recorder.delivered(booking, at: time)
        } else {
            self.recorder.deliveredAgain()
        }
    }

    /// `transaction_success`'s packet, matched on bytes: the event every delivery brings.
    private static let transactionSuccess = Array(#"42["transaction_success""#.utf8)
    private static let bookingKey = Array(#""bookingId":""#.utf8)

    /// The `bookingId` of an event's payload, found without a JSON parser or a `String` of the
    /// frame (the bench must not be the bottleneck).
    private static func bookingID(in packet: ByteBufferView) -> String? {
        guard let key = packet.firstRange(of: Self.bookingKey) else { return nil }
        guard let end = packet[key.upperBound...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: packet[key.upperBound..<end], as: UTF8.self)
    }

    private func send(_ text: String, context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        self.send(context.channel.allocator.buffer(string: text), opcode: .text, context: context, promise: promise)
    }

    private func send(_ data: ByteBuffer, opcode: WebSocketOpcode, context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
        context.writeAndFlush(Self.wrapOutboundOut(frame), promise: promise)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        if !self.settled {
            self.settled = true
            self.subscribed.fail(error)
            self.probeAnswered?.fail(error)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.isSubscribed {
            self.recorder.connectionLost()
        } else if !self.settled {
            self.settled = true
            self.subscribed.fail(BenchError.closedBeforeSubscribing)
            self.probeAnswered?.fail(BenchError.closedBeforeSubscribing)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error, context: context)
    }
}
