import Logging
import MessagePack
import NIOCore
import OrderedCollections
import SocketIO

/// Other nodes' requests (Node's or Swift's, or an emitter's), answered from this node's sockets.
extension RedisAdapter {
    /// A message from the namespace's request channel. This node's own requests come back here
    /// too and are skipped: the namespace already did this node's part.
    func receiveRequest(_ payload: ByteBuffer) {
        guard let request = RedisAdapterMessage.decode(payload), let type = RedisAdapterMessage.requestType(of: request) else {
            self.logger.debug("Ignoring a malformed request", metadata: ["namespace": .string(self.namespace)])
            return
        }
        let requestID = request["requestId"]?.stringValue
        if request["uid"]?.stringValue == self.nodeID || requestID.map(self.pending.isWaiting(for:)) == true { return }
        guard let delivery = self.localDelivery else { return }
        switch type {
        case .remoteJoin, .remoteLeave, .remoteDisconnect:
            // At once, in the order they came: a join and the broadcast after it, or a join and a
            // leave, must not swap places.
            if self.changeSockets(type, request, delivery: delivery), let requestID {
                Task { await self.respond(to: request, ["requestId": .string(requestID)]) }
            }
        default:
            Task { await self.answer(type, request, requestID: requestID, delivery: delivery) }
        }
    }

    private func answer(_ type: RedisAdapterRequestType, _ request: MessagePackValue, requestID: String?, delivery: SocketIOLocalDelivery) async {
        switch type {
        case .sockets:
            let selection = SocketIOBroadcastOptions(rooms: RedisAdapterMessage.rooms(of: request))
            let ids = self.local.socketIDs(matching: selection).sorted().map(MessagePackValue.string)
            await self.respond(to: request, ["requestId": .string(requestID ?? ""), "sockets": .array(ids)])
        case .allRooms:
            let rooms = self.localRooms.sorted().map(MessagePackValue.string)
            await self.respond(to: request, ["requestId": .string(requestID ?? ""), "rooms": .array(rooms)])
        case .remoteJoin, .remoteLeave, .remoteDisconnect:
            break  // applied on arrival
        case .remoteFetch:
            let selection = RedisAdapterMessage.selection(of: request) ?? SocketIOBroadcastOptions()
            let sockets = delivery.snapshots(matching: selection).map(\.wireValue)
            await self.respond(to: request, ["requestId": .string(requestID ?? ""), "sockets": .array(sockets)])
        case .serverSideEmit:
            await self.runServerSideEvent(request, requestID: requestID, delivery: delivery)
        case .broadcast:
            await self.relayBroadcastWithAck(request, requestID: requestID, delivery: delivery)
        case .broadcastClientCount, .broadcastAck:
            self.logger.debug("Ignoring a response sent as a request", metadata: ["namespace": .string(self.namespace)])
        }
    }

    /// `socketsJoin`, `socketsLeave`, `disconnectSockets`: with `opts`, for the sockets they
    /// select (no answer, as Node's); the older form names one socket (`sid`) and is answered:
    /// true when it must be.
    private func changeSockets(_ type: RedisAdapterRequestType, _ request: MessagePackValue, delivery: SocketIOLocalDelivery) -> Bool {
        let selection: SocketIOBroadcastOptions
        var rooms = RedisAdapterMessage.rooms(of: request)
        if let options = RedisAdapterMessage.selection(of: request) {
            selection = options
        } else if let socketID = request["sid"]?.stringValue, !self.local.socketIDs(matching: SocketIOBroadcastOptions(rooms: [socketID])).isEmpty {
            selection = SocketIOBroadcastOptions(rooms: [socketID])
            if let room = request["room"]?.stringValue { rooms = [room] }
        } else {
            return false
        }
        switch type {
        case .remoteJoin: delivery.join(matching: selection, rooms: rooms)
        case .remoteLeave: delivery.leave(matching: selection, rooms: rooms)
        default: delivery.disconnect(matching: selection, closeConnections: request["close"]?.boolValue ?? false)
        }
        return RedisAdapterMessage.selection(of: request) == nil
    }

    /// Runs the namespace's handler; with a `requestId`, its first `ack` argument goes back on
    /// the shared response channel (where Node's adapter sends these, whatever its settings).
    private func runServerSideEvent(_ request: MessagePackValue, requestID: String?, delivery: SocketIOLocalDelivery) async {
        guard let data = request["data"]?.arrayValue else { return }
        var reply: (@Sendable (MessagePackValue) -> Void)?
        if let requestID {
            reply = { answer in
                let response: MessagePackValue = .map([
                    "type": .int(RedisAdapterRequestType.serverSideEmit.rawValue),
                    "requestId": .string(requestID),
                    "data": answer,
                ])
                Task { try? await self.publish(response, on: self.channels.response) }
            }
        }
        await delivery.runServerSideEvent(data, reply: reply)
    }

    /// Another node's broadcast with acknowledgements: this node says how many of its sockets it
    /// asked, then relays each answer as it arrives.
    private func relayBroadcastWithAck(_ request: MessagePackValue, requestID: String?, delivery: SocketIOLocalDelivery) async {
        guard let requestID, let packet = request["packet"].flatMap(SocketIOPacket.init(wireValue:)) else { return }
        let selection = RedisAdapterMessage.selection(of: request) ?? SocketIOBroadcastOptions()
        let timeout = request["opts"]?["flags"]?["timeout"]?.intValue.map { Duration.milliseconds($0) } ?? .seconds(5)
        await delivery.relayBroadcastWithAck(
            packet, options: selection, timeout: timeout,
            counted: { clientCount in
                await self.respond(to: request, [
                    "type": .int(RedisAdapterRequestType.broadcastClientCount.rawValue),
                    "requestId": .string(requestID),
                    "clientCount": .int(clientCount),
                ])
            },
            answered: { answer in
                await self.respond(to: request, [
                    "type": .int(RedisAdapterRequestType.broadcastAck.rawValue),
                    "requestId": .string(requestID),
                    "packet": MessagePackValue(answer),
                ])
            }
        )
    }

    /// Publishes an answer where the asking node listens: its own channel or the shared one.
    private func respond(to request: MessagePackValue, _ response: OrderedDictionary<String, MessagePackValue>) async {
        let channel = self.answersOnSpecificChannel ? request["uid"]?.stringValue.map(self.channels.response(forNode:)) ?? self.channels.response : self.channels.response
        do {
            try await self.publish(.map(response), on: channel)
        } catch {
            self.logger.warning("Answer to another node not published", metadata: ["namespace": .string(self.namespace), "error": "\(error)"])
        }
    }
}
