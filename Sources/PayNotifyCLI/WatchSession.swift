import EngineIO
import Foundation
import HummingbirdWSClient
import NIOConcurrencyHelpers
import NIOCore
import SocketIO

/// One websocket connection of `paynotify watch`, spoken with the library's own codecs.
final class WatchSession: Sendable {
    struct State {
        var paid = false
    }

    let bookingID: String
    let token: String?
    let untilPaid: Bool
    let state = NIOLockedValueBox(State())

    init(bookingID: String, token: String?, untilPaid: Bool) {
        self.bookingID = bookingID
        self.token = token
        self.untilPaid = untilPaid
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        var decoder = SocketIOPacketDecoder()
        for try await message in inbound.messages(maxSize: 1 << 20) {
            let engineMessage: EngineIOMessage
            switch message {
            case .text(let text):
                switch try EngineIOPacket(decoding: text) {
                case .open:
                    let auth: SocketIOValue? = self.token.map { ["token": .string($0)] }
                    try await Self.send(SocketIOPacket(kind: .connect, payload: auth).encoded(), on: outbound)
                    continue
                case .ping(let data):
                    try await outbound.write(.text(String(buffer: Self.buffer(EngineIOPacket.pong(data).frame))))
                    continue
                case .close:
                    return
                case .message(let payload):
                    engineMessage = payload
                default:
                    continue
                }
            case .binary(let bytes):
                engineMessage = .binary(bytes)
            }
            guard let packet = try decoder.decode(engineMessage) else { continue }
            if try await self.handle(packet, outbound: outbound) { return }
        }
    }

    /// Returns true when the session is over.
    private func handle(_ packet: SocketIOPacket, outbound: WebSocketOutboundWriter) async throws -> Bool {
        switch packet.kind {
        case .connect:
            Self.show("connected", packet.payload)
            let subscribe = SocketIOPacket.event("subscribe_booking", [["bookingId": .string(self.bookingID)]], ackID: 1)
            try await Self.send(subscribe.encoded(), on: outbound)
        case .ack:
            Self.show("subscribed", packet.payload?.arrayValue?.first)
        case .event:
            guard let (name, arguments) = packet.eventNameAndArguments else { return false }
            Self.show(name, arguments.first)
            if name == "payment_confirmed" {
                self.state.withLockedValue { $0.paid = true }
                if self.untilPaid { return true }
            }
        case .connectError:
            Self.show("connect_error", packet.payload)
            return true
        case .disconnect:
            Self.show("disconnected by server", nil)
            return true
        }
        return false
    }

    private static func show(_ what: String, _ payload: SocketIOValue?) {
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        // Unbuffered, so a pipe sees each event as it arrives.
        FileHandle.standardOutput.write(Data("\(time) \(what)\(payload.map { " \($0.jsonString)" } ?? "")\n".utf8))
    }

    private static func send(_ packet: SocketIOEncodedPacket, on outbound: WebSocketOutboundWriter) async throws {
        for frame in packet.frames {
            switch frame {
            case .text(let buffer): try await outbound.write(.text(String(buffer: buffer)))
            case .binary(let buffer): try await outbound.write(.binary(buffer))
            }
        }
    }

    private static func buffer(_ frame: EngineIOFrame) -> ByteBuffer {
        switch frame {
        case .text(let buffer), .binary(let buffer): buffer
        }
    }
}
