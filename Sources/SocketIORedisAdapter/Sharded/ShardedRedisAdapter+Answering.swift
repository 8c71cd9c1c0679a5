import Logging
import MessagePack
import OrderedCollections
import SocketIO

/// Other nodes' cluster messages (Node's or Swift's), acted on with this node's sockets, as
/// socket.io-adapter's `ClusterAdapter.onMessage` does.
extension ShardedRedisAdapter {
    func answer(_ message: ClusterMessage, delivery: SocketIOLocalDelivery) async {
        switch message.type {
        case .broadcast:
            await self.relayBroadcastWithAck(message, delivery: delivery)
        case .socketsJoin, .socketsLeave, .disconnectSockets:
            break  // applied on arrival (`changeSockets`)
        case .fetchSockets:
            guard let requestID = message.requestID else { return }
            let sockets = delivery.snapshots(matching: message.selection).map(\.wireValue)
            await self.respond(to: message, .fetchSocketsResponse, ["requestId": .string(requestID), "sockets": .array(sockets)])
        case .serverSideEmit:
            guard let packet = message.data["packet"]?.arrayValue else { return }
            var reply: (@Sendable (MessagePackValue) -> Void)?
            if let requestID = message.requestID {
                reply = { answer in
                    Task { await self.respond(to: message, .serverSideEmitResponse, ["requestId": .string(requestID), "packet": answer]) }
                }
            }
            await delivery.runServerSideEvent(packet, reply: reply)
        case .initialHeartbeat, .heartbeat, .adapterClose:
            // The heartbeat adapters' membership messages: this protocol counts nodes by the
            // namespace channel's subscribers instead.
            break
        case .fetchSocketsResponse, .serverSideEmitResponse, .broadcastClientCount, .broadcastAck:
            break  // routed to the waiting request on arrival
        }
    }

    /// `socketsJoin`, `socketsLeave`, `disconnectSockets` from another node, on this node's sockets.
    func changeSockets(_ message: ClusterMessage, delivery: SocketIOLocalDelivery) {
        switch message.type {
        case .socketsJoin: delivery.join(matching: message.selection, rooms: Self.rooms(of: message))
        case .socketsLeave: delivery.leave(matching: message.selection, rooms: Self.rooms(of: message))
        case .disconnectSockets: delivery.disconnect(matching: message.selection, closeConnections: message.data["close"]?.boolValue ?? false)
        default: break
        }
    }

    /// Another node's broadcast with acknowledgements: this node says how many of its sockets it
    /// asked, then relays each answer as it arrives.
    private func relayBroadcastWithAck(_ message: ClusterMessage, delivery: SocketIOLocalDelivery) async {
        guard let requestID = message.requestID, let packet = message.data["packet"].flatMap(SocketIOPacket.init(wireValue:)) else { return }
        let timeout = message.data["opts"]?["flags"]?["timeout"]?.intValue.map { Duration.milliseconds($0) } ?? .seconds(5)
        await delivery.relayBroadcastWithAck(
            packet, options: message.selection, timeout: timeout,
            counted: { clientCount in
                await self.respond(to: message, .broadcastClientCount, ["requestId": .string(requestID), "clientCount": .int(clientCount)])
            },
            answered: { answer in
                await self.respond(to: message, .broadcastAck, ["requestId": .string(requestID), "packet": MessagePackValue(answer)])
            }
        )
    }

    /// Publishes a response on the asking node's response channel.
    private func respond(to request: ClusterMessage, _ type: ClusterMessageType, _ data: OrderedDictionary<String, MessagePackValue>) async {
        do {
            try await self.publish(self.message(type, data), on: self.channels.responses(forNode: request.senderID))
        } catch {
            self.logger.warning("Answer to another node not published", metadata: ["namespace": .string(self.namespace), "error": "\(error)"])
        }
    }

    private static func rooms(of message: ClusterMessage) -> Set<String> {
        Set((message.data["rooms"]?.arrayValue ?? []).compactMap(\.stringValue))
    }
}
