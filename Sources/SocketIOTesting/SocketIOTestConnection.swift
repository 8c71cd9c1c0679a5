import EngineIO
import HTTPTypes
import Logging
import NIOCore
import SocketIO

/// One Engine.IO session of a test client, shared by the sockets it opens in several
/// namespaces, as the official client's Manager shares one connection between them.
///
/// A task reads what the server writes into the inbox until the session ends. Like a browser's
/// connection, it stays open until the client closes it (its last socket disconnects) or the
/// server does, whoever still holds it: a client that closed when a test stopped using it
/// could close before the test checks the server's side.
struct SocketIOTestConnection: Sendable {
    let transport: InProcessTransport
    let inbox = SocketIOTestInbox()

    /// Opens a session on `server`'s Engine.IO endpoint as a websocket handshake with
    /// `headers` and `query` would (the query also gets `EIO=4` and `transport=websocket`,
    /// unless it sets them).
    init(server: SocketIOServer, headers: HTTPFields, query: [String: String]) {
        let engine = server.engine
        let request = EngineIOConnectionRequest(
            path: engine.configuration.path,
            query: ["EIO": "4", "transport": "websocket"].merging(query) { _, given in given },
            headers: headers,
            remoteAddress: nil,
            transport: .websocket
        )
        let transport = InProcessTransport(session: engine.openInProcessSession(request))
        self.transport = transport
        Task { [inbox] in await Self.read(from: transport, into: inbox) }
    }

    /// Reads what the server writes until the session ends: answers its pings, and decodes its
    /// packets with the library's own decoder (binary attachments included) for the inbox.
    private static func read(from transport: InProcessTransport, into inbox: SocketIOTestInbox) async {
        var decoder = SocketIOPacketDecoder()
        while let frames = await transport.session.nextFrames() {
            for frame in frames {
                do {
                    guard let packet = try Self.decode(frame, with: &decoder, answeringPingsOn: transport) else { continue }
                    inbox.deliver(SocketIOTestInbox.Item(packet, transport: transport), to: packet.namespace)
                } catch {
                    // As the official client does: a server it cannot understand is left.
                    transport.session.logger.error("Test client cannot decode what the server wrote, closing", metadata: ["error": "\(error)"])
                    transport.close()
                    inbox.end(.parseError)
                    return
                }
            }
        }
        inbox.end(.transportClose)
    }

    /// The Socket.IO packet `frame` completes, if any; a ping is answered here.
    private static func decode(
        _ frame: EngineIOFrame,
        with decoder: inout SocketIOPacketDecoder,
        answeringPingsOn transport: InProcessTransport
    ) throws -> SocketIOPacket? {
        switch frame {
        case .binary(let bytes):
            return try decoder.decode(.binary(bytes))
        case .text(let buffer):
            switch try EngineIOPacket(decoding: String(buffer: buffer)) {
            case .message(let message):
                return try decoder.decode(message)
            case .ping(let data):
                transport.send(EngineIOPacket.pong(data))
                return nil
            case .open, .close, .pong, .upgrade, .noop:
                return nil
            }
        }
    }
}
