import Logging
import NIOCore
import NIOWebSocket

/// The Engine.IO websocket transport as a SwiftNIO channel handler, alone in the pipeline once
/// the upgrade is done. It parses the client's frames, reassembles fragmented messages and
/// answers protocol errors itself, so the pipeline holds no more handlers than it needs.
///
/// Reading and writing both happen in event-loop callbacks: an idle connection holds no Swift
/// task (whose stacks made up most of a connection's memory), and packets are handed to the
/// session on the event loop, with no task hop.
final class EngineIOWebSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// The connection's bytes (`WebSocketFrameParser`): NIO's frame decoder is not in the pipeline.
    typealias InboundIn = ByteBuffer
    /// Encoded frames (`WebSocketFrameWriter`): nor is its frame encoder.
    typealias OutboundOut = ByteBuffer

    private enum State {
        case starting(WebSocketUpgrade)
        /// Upgrading a polling session: `answered` once `3probe` went out, so that giving up
        /// must undo the session's upgrade.
        case probing(EngineIOSession, answered: Bool, timeout: Scheduled<Void>)
        case open(WebSocketSessionStream)
        case closed
    }

    private let server: EngineIOServer
    private var state: State
    private var parser: WebSocketFrameParser
    private var assembler: WebSocketMessageAssembler
    /// The loop's permessage-deflate streams, when the client negotiated the extension.
    private let compression: WebSocketCompression?

    init(server: EngineIOServer, upgrade: WebSocketUpgrade, compression: WebSocketCompression? = nil) {
        self.server = server
        self.state = .starting(upgrade)
        self.compression = compression
        self.parser = WebSocketFrameParser(maximumFrameSize: server.configuration.maxPayload)
        self.assembler = WebSocketMessageAssembler(maximumSize: server.configuration.maxPayload, allowsCompression: compression != nil)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard case .starting(let upgrade) = self.state else { return }
        switch upgrade {
        case .newSession(let request, let release):
            var onClose: (@Sendable () -> Void)?
            if let release { onClose = { release.run() } }
            let session = self.server.makeSession(for: request, release: onClose, eventLoop: context.eventLoop)
            let stream = self.makeStream(for: session, context: context)
            self.write(EngineIOPacket.open(session.handshakeJSON(upgrades: [])).frame, context: context)
            self.state = .open(stream)
            session.attach(stream: stream)
            self.server.start(session)
        case .upgrade(let session):
            guard session.beginUpgrade() else {
                // As the reference server does, a websocket for a session that cannot upgrade
                // (already upgraded, or probing on another websocket) is accepted, then closed.
                session.logger.debug("Websocket for a session that cannot upgrade, closing it")
                self.refuse(context: context)
                return
            }
            let channel = context.channel
            let timeout = context.eventLoop.scheduleTask(in: TimeAmount(self.server.configuration.upgradeTimeout)) {
                session.logger.debug("Upgrade timed out")
                channel.close(promise: nil)
            }
            self.state = .probing(session, answered: false, timeout: timeout)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.parser.append(Self.unwrapInboundIn(data))
        while !self.isClosed {
            let frame: WebSocketFrame
            do {
                guard let next = try self.parser.nextFrame(allocator: context.channel.allocator) else { return }
                frame = next
            } catch {
                self.fail(error == .tooLarge ? .payloadTooLarge : .parseError, code: error == .tooLarge ? .messageTooLarge : .protocolError, context: context)
                return
            }
            self.receive(frame, context: context)
        }
    }

    private var isClosed: Bool {
        if case .closed = self.state { return true }
        return false
    }

    private func receive(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case .text, .binary, .continuation:
            do {
                guard let message = try self.assembler.append(frame) else { return }
                guard message.compressed, let compression else {
                    self.receive(message.opcode, message.data, context: context)
                    return
                }
                do throws(ZlibStream.InflateFailure) {
                    let data = try compression.decompress(message.data, maximumSize: self.server.configuration.maxPayload, allocator: context.channel.allocator)
                    self.receive(message.opcode, data, context: context)
                } catch {
                    self.fail(error == .tooLarge ? .payloadTooLarge : .parseError, code: error == .tooLarge ? .messageTooLarge : .protocolError, context: context)
                }
            } catch {
                self.fail(error == .tooLarge ? .payloadTooLarge : .parseError, code: error == .tooLarge ? .messageTooLarge : .protocolError, context: context)
            }
        case .ping:
            let payload = frame.unmaskedData
            var pong = context.channel.allocator.buffer(capacity: WebSocketFrameWriter.headerSize(payloadLength: payload.readableBytes) + payload.readableBytes)
            WebSocketFrameWriter.write(.pong, payload: payload, into: &pong)
            context.writeAndFlush(Self.wrapOutboundOut(pong), promise: nil)
        case .connectionClose where frame.rsv1 || frame.rsv2 || frame.rsv3:
            self.fail(.parseError, code: .protocolError, context: context)
        case .connectionClose:
            self.clientClosed(context: context)
        default:
            break
        }
    }

    private func receive(_ opcode: WebSocketOpcode, _ data: ByteBuffer, context: ChannelHandlerContext) {
        switch self.state {
        case .open(let stream):
            let packet: EngineIOPacket
            do {
                packet = try Self.decode(opcode, data, revision: stream.session.protocolRevision)
            } catch {
                stream.session.logger.debug("Invalid Engine.IO packet", metadata: ["error": "\(error)"])
                stream.session.close(reason: .parseError)
                return
            }
            stream.session.receive(packet)
        case .probing(let session, let answered, let timeout):
            let packet = opcode == .text ? try? EngineIOPacket(decoding: String(buffer: data)) : nil
            self.probe(packet, session: session, answered: answered, timeout: timeout, context: context)
        case .starting, .closed:
            break
        }
    }

    /// A websocket message as a packet: Engine.IO 4 sends binary messages bare, Engine.IO 3 led
    /// by their type byte (and, as text, `b4` and base64 rather than `b` and base64).
    private static func decode(_ opcode: WebSocketOpcode, _ data: ByteBuffer, revision: EngineIOProtocolRevision) throws(EngineIOPacketDecodingError) -> EngineIOPacket {
        switch (opcode, revision) {
        case (.binary, .v4): .message(.binary(data))
        case (.binary, .v3): try EngineIO3Payload.decodeBinaryPacket(data)
        case (_, .v4): try EngineIOPacket(decoding: String(buffer: data))
        case (_, .v3): try EngineIO3Payload.decodePacket(Substring(String(buffer: data)))
        }
    }

    /// The probe exchange: `2probe` → `3probe`, then `5` completes the upgrade. Anything else
    /// gives the upgrade up.
    private func probe(_ packet: EngineIOPacket?, session: EngineIOSession, answered: Bool, timeout: Scheduled<Void>, context: ChannelHandlerContext) {
        switch packet {
        case .ping("probe") where !answered:
            guard session.probeAnswered() else {
                timeout.cancel()
                session.abortUpgrade()
                self.refuse(context: context)
                return
            }
            self.state = .probing(session, answered: true, timeout: timeout)
            self.write(EngineIOPacket.pong("probe").frame, context: context)
        case .upgrade where answered:
            timeout.cancel()
            let stream = self.makeStream(for: session, context: context)
            self.state = .open(stream)
            guard session.completeUpgrade(to: stream) else {
                session.abortUpgrade()
                self.refuse(context: context)
                return
            }
            session.logger.debug("Upgraded to websocket")
        default:
            timeout.cancel()
            session.abortUpgrade()
            self.refuse(context: context)
        }
    }

    private func write(_ frame: EngineIOFrame, context: ChannelHandlerContext) {
        var bytes = context.channel.allocator.buffer(capacity: WebSocketFrameWriter.encodedSize(of: CollectionOfOne(frame)))
        WebSocketFrameWriter.write(frame, into: &bytes)
        context.writeAndFlush(Self.wrapOutboundOut(bytes), promise: nil)
    }

    private func makeStream(for session: EngineIOSession, context: ChannelHandlerContext) -> WebSocketSessionStream {
        WebSocketSessionStream(
            channel: context.channel,
            output: NIOLoopBound(context, eventLoop: context.eventLoop),
            session: session,
            batcher: self.server.writeBatchers.value(for: context.eventLoop),
            compression: self.compression
        )
    }

    /// Ends a websocket that carries no session.
    private func refuse(context: ChannelHandlerContext) {
        self.closeConnection(.normalClosure, context: context)
    }

    /// Sends a close frame on a websocket that carries no session, then closes it.
    private func closeConnection(_ code: WebSocketErrorCode, context: ChannelHandlerContext) {
        self.state = .closed
        let channel = context.channel
        let close = WebSocketFrameWriter.close(code, allocator: context.channel.allocator)
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(close), promise: promise)
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    /// The client sent a close frame: the session closes, which answers it with ours (sent once
    /// by the stream, so a client answering our close gets none back), and the connection goes.
    private func clientClosed(context: ChannelHandlerContext) {
        self.giveUp()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .open(let stream) = self.state, context.channel.isWritable {
            stream.writeWaitingFrames()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.giveUp()
        context.fireChannelInactive()
    }

    /// Whatever the state, the connection is gone: close the session or undo the upgrade.
    private func giveUp() {
        switch self.state {
        case .open(let stream):
            stream.session.close(reason: .transportClose)
        case .probing(let session, _, let timeout):
            timeout.cancel()
            session.abortUpgrade()
        case .starting, .closed:
            break
        }
        self.state = .closed
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .open(let stream) = self.state {
            stream.session.logger.debug("Websocket error", metadata: ["error": "\(error)"])
        }
        self.fail(.transportError(String(describing: error)), code: .protocolError, context: context)
    }

    /// Ends the connection with a close frame naming the problem, and the session with `reason`.
    private func fail(_ reason: EngineIOCloseReason, code: WebSocketErrorCode, context: ChannelHandlerContext) {
        if case .open(let stream) = self.state {
            // Sent before the session closes, so its own (normal) close frame is not.
            stream.sendClose(code)
            stream.session.close(reason: reason)
            self.state = .closed
            return
        }
        self.giveUp()
        self.closeConnection(code, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            // The HTTP server is shutting down: an Engine.IO close, so clients reconnect elsewhere.
            guard case .open(let stream) = self.state else { break }
            stream.session.close(reason: .serverShutdown)
            return
        case ChannelEvent.inputClosed:
            // The client closed its side without a close frame (a killed app, a dropped network
            // seen by the peer's kernel). The HTTP server allows half-closure, so nothing else
            // closes ours: the session would stay, pinged, until a write failed.
            self.clientClosed(context: context)
            return
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }
}
