import HTTPTypes
import Logging
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// The websocket transport: new sessions opened over websocket, and polling sessions upgrading.
///
/// Each connection reads in its handler task and writes from one child task that drains the
/// session's queue, so a client that stops reading only ever blocks its own writer.
extension EngineIOServer {
    public typealias WebSocketHandler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    /// Decides an HTTP upgrade request for this endpoint. Returns nil when the path is not this
    /// endpoint's, so several endpoints can share one server.
    public func shouldUpgrade(_ head: HTTPRequest, channel: any Channel) -> ShouldUpgradeResult<WebSocketHandler>? {
        let target = head.path ?? "/"
        let pathEnd = target.firstIndex(of: "?") ?? target.endIndex
        guard self.matches(path: target[..<pathEnd]) else { return nil }
        let query = EngineIOConnectionRequest.parseQuery(pathEnd < target.endIndex ? target[target.index(after: pathEnd)...] : nil)
        do {
            guard try self.validateHandshakeQuery(query) == .websocket else {
                throw EngineIORequestError(.badRequest, detail: "transport=polling on a websocket upgrade")
            }
            if let sid = query["sid"] {
                guard let session = self.registry.session(id: sid) else {
                    throw EngineIORequestError(.unknownSessionID, detail: "sid=\(sid)")
                }
                // As the reference server does, a websocket for a session that cannot upgrade
                // (already upgraded, or probing on another websocket) is accepted, then closed.
                return .upgrade([:]) { inbound, outbound, _ in
                    await self.serveUpgrade(of: session, inbound: inbound, outbound: outbound, channel: channel)
                }
            }
            let request = EngineIOConnectionRequest(
                path: String(target[..<pathEnd]),
                query: query,
                headers: head.headerFields,
                remoteAddress: channel.remoteAddress,
                transport: .websocket
            )
            // Released when the session closes or, if the upgrade never completes, with the channel.
            var release: (@Sendable () -> Void)?
            if let admitted = try self.admit(request) {
                let once = ReleaseOnce(admitted)
                channel.closeFuture.whenComplete { _ in once.run() }
                release = { once.run() }
            }
            return .upgrade([:]) { [release] inbound, outbound, _ in
                await self.serveNewSession(request, release: release, inbound: inbound, outbound: outbound, channel: channel)
            }
        } catch {
            self.logger.debug("Websocket upgrade refused", metadata: ["error": "\(error)"])
            return .dontUpgrade
        }
    }

    private func serveNewSession(
        _ request: EngineIOConnectionRequest,
        release: (@Sendable () -> Void)?,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        channel: any Channel
    ) async {
        let session = self.makeSession(for: request, release: release)
        Self.closeChannel(channel, whenClosing: session)
        do {
            try await outbound.write(.custom(Self.webSocketFrame(EngineIOPacket.open(session.handshakeJSON(upgrades: [])).frame)))
        } catch {
            session.close(reason: .transportClose)
            return
        }
        self.start(session)
        var messages = inbound.messages(maxSize: self.configuration.maxPayload).makeAsyncIterator()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.writeFrames(of: session, to: outbound) }
            await Self.readPackets(into: session, from: &messages)
        }
    }

    private func serveUpgrade(
        of session: EngineIOSession,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        channel: any Channel
    ) async {
        guard session.canBeginUpgrade() else {
            session.logger.debug("Websocket for a session that cannot upgrade, closing it")
            return
        }
        let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(self.configuration.upgradeTimeout)) {
            session.logger.debug("Upgrade timed out")
            channel.close(promise: nil)
        }
        var messages = inbound.messages(maxSize: self.configuration.maxPayload).makeAsyncIterator()
        let result = await Self.probe(session, messages: &messages, outbound: outbound)
        timeout.cancel()
        switch result {
        case .upgraded:
            Self.closeChannel(channel, whenClosing: session)
        case .abandoned:
            // Only the websocket that answered the probe may give the upgrade up.
            session.abortUpgrade()
            return
        case .refused:
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.writeFrames(of: session, to: outbound) }
            await Self.readPackets(into: session, from: &messages)
        }
    }

    private enum ProbeResult {
        case upgraded
        /// This websocket started the upgrade and then went away or misbehaved.
        case abandoned
        /// Another websocket is probing, or the session cannot upgrade: nothing to undo.
        case refused
    }

    /// Runs the probe exchange (`2probe` → `3probe`, then `5`).
    private static func probe(
        _ session: EngineIOSession,
        messages: inout WebSocketInboundMessageStream.AsyncIterator,
        outbound: WebSocketOutboundWriter
    ) async -> ProbeResult {
        var probing = false
        do {
            while let message = try await messages.next() {
                guard case .text(let text) = message else { break }
                switch try EngineIOPacket(decoding: text) {
                case .ping("probe") where !probing:
                    guard session.probeAnswered() else { return .refused }
                    probing = true
                    try await outbound.write(.custom(Self.webSocketFrame(EngineIOPacket.pong("probe").frame)))
                case .upgrade where probing:
                    return session.completeUpgrade() ? .upgraded : .abandoned
                default:
                    return probing ? .abandoned : .refused
                }
            }
        } catch {
            session.logger.debug("Upgrade failed", metadata: ["error": "\(error)"])
        }
        return probing ? .abandoned : .refused
    }

    /// A session closed by the server (overflow, timeout, shutdown) also ends its websocket,
    /// even when the writer is stuck on a client that stopped reading: after a grace period for
    /// the close handshake, the channel is closed.
    private static func closeChannel(_ channel: any Channel, whenClosing session: EngineIOSession) {
        session.whenClosed {
            channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        }
    }

    /// Reads until the client goes away or breaks the protocol, then closes the session (which
    /// ends the writer).
    private static func readPackets(
        into session: EngineIOSession,
        from messages: inout WebSocketInboundMessageStream.AsyncIterator
    ) async {
        do {
            while let message = try await messages.next() {
                switch message {
                case .text(let text):
                    do {
                        await session.receive(try EngineIOPacket(decoding: text))
                    } catch {
                        session.logger.debug("Invalid Engine.IO packet", metadata: ["error": "\(error)"])
                        session.close(reason: .parseError)
                        return
                    }
                case .binary(let bytes):
                    await session.receive(.message(.binary(bytes)))
                }
                guard session.isOpen else { return }
            }
            session.close(reason: .transportClose)
        } catch {
            session.close(reason: Self.closeReason(for: error))
        }
    }

    private static func writeFrames(of session: EngineIOSession, to outbound: WebSocketOutboundWriter) async {
        while !Task.isCancelled {
            switch await session.nextBatch() {
            case .frames(let frames):
                do {
                    for frame in frames {
                        try await outbound.write(.custom(Self.webSocketFrame(frame)))
                    }
                } catch {
                    session.close(reason: .transportError("write failed: \(error)"))
                    return
                }
            case .closed:
                try? await outbound.close(.normalClosure, reason: nil)
                return
            }
        }
    }

    static func webSocketFrame(_ frame: EngineIOFrame) -> WebSocketFrame {
        switch frame {
        case .text(let bytes): WebSocketFrame(fin: true, opcode: .text, data: bytes)
        case .binary(let bytes): WebSocketFrame(fin: true, opcode: .binary, data: bytes)
        }
    }

    private static func closeReason(for error: any Error) -> EngineIOCloseReason {
        if let error = error as? NIOWebSocketError, error == .invalidFrameLength { return .payloadTooLarge }
        if String(describing: error).contains("messageTooLarge") { return .payloadTooLarge }
        return .transportError(String(describing: error))
    }
}
