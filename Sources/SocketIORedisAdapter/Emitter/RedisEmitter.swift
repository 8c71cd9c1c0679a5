import MessagePack
import NIOCore
import OrderedCollections
public import Redis
public import SocketIO

/// Publishes into a Socket.IO cluster from a process that is not a Socket.IO server (a worker,
/// a command-line tool), as Node's `@socket.io/redis-emitter` does, with the same messages: the
/// cluster's nodes, Node's and Swift's, deliver them to their sockets.
///
/// Values, like Node's: each call narrows a copy.
/// ```swift
/// let emitter = RedisEmitter(publisher: RedisClient(configuration: redis, logger: logger))
/// try await emitter.to("booking_42").emit("payment_confirmed", ["bookingId": "42"])
/// try await emitter.of("/admin").serverSideEmit("refresh")
/// ```
public struct RedisEmitter: Sendable {
    private let publisher: any RedisCommandExecutor
    private let channels: RedisAdapterChannels
    private var options = SocketIOBroadcastOptions()

    /// The uid the emitter's messages carry, as Node's emitter's: no node takes them for its own.
    static let senderID = "emitter"

    /// - Parameters:
    ///   - publisher: Publishes the messages (a `RedisClient`).
    ///   - key: The cluster's channel prefix (its adapters' `key`, `socket.io` by default).
    ///   - namespace: The namespace to reach, `/` by default (see `of(_:)`).
    public init(publisher: any RedisCommandExecutor, key: String = "socket.io", namespace: String = "/") {
        self.publisher = publisher
        self.channels = RedisAdapterChannels(prefix: key, namespace: namespace.hasPrefix("/") ? namespace : "/" + namespace)
    }

    /// The same emitter for another namespace (a leading `/` is added when missing).
    public func of(_ namespace: String) -> RedisEmitter {
        RedisEmitter(publisher: self.publisher, key: self.channels.prefix, namespace: namespace)
    }

    /// Narrowed to the sockets in any of `rooms` (added to those already named).
    public func to(_ rooms: String...) -> RedisEmitter {
        self.to(rooms)
    }

    /// Narrowed to the sockets in any of `rooms`, given as a sequence.
    public func to(_ rooms: some Sequence<String>) -> RedisEmitter {
        var copy = self
        copy.options.rooms.formUnion(rooms)
        return copy
    }

    /// The same as `to(_:)`.
    public func `in`(_ rooms: String...) -> RedisEmitter {
        self.to(rooms)
    }

    /// Leaving out the sockets in any of `rooms`.
    public func except(_ rooms: String...) -> RedisEmitter {
        self.except(rooms)
    }

    /// Leaving out the sockets in any of `rooms`, given as a sequence.
    public func except(_ rooms: some Sequence<String>) -> RedisEmitter {
        var copy = self
        copy.options.exceptRooms.formUnion(rooms)
        return copy
    }

    /// Dropped for each socket whose transport cannot take the event at once.
    public var volatile: RedisEmitter {
        var copy = self
        copy.options.volatile = true
        return copy
    }

    /// Whether permessage-deflate may compress the event.
    public func compress(_ compress: Bool) -> RedisEmitter {
        var copy = self
        copy.options.compress = compress
        return copy
    }

    /// Sends an event to the selected sockets of every node.
    /// - Throws: `RedisEmitterError.reservedEventName` for a name the client library keeps for
    ///   itself (`connect`, `disconnect`, …); `.redis` when it could not be published.
    public func emit(_ event: String, _ arguments: SocketIOValue...) async throws(RedisEmitterError) {
        try await self.emit(event, arguments: arguments)
    }

    /// Sends an event, its arguments given as an array, to the selected sockets of every node.
    /// - Throws: `RedisEmitterError`, as `emit(_:_:)`.
    public func emit(_ event: String, arguments: [SocketIOValue]) async throws(RedisEmitterError) {
        guard !SocketIOPacket.reservedEventNames.contains(event) else { throw .reservedEventName(event) }
        let packet = SocketIOPacket.event(event, arguments, namespace: self.channels.namespace)
        let message = RedisBroadcastMessage(senderID: Self.senderID, packet: packet, options: self.options)
        try await self.publish(message.encoded(), on: self.channels.broadcast(for: self.options.rooms))
    }

    /// Makes the selected sockets of every node join `rooms`.
    public func socketsJoin(_ rooms: String...) async throws(RedisEmitterError) {
        try await self.request(.remoteJoin, ["rooms": .array(rooms.map(MessagePackValue.string))])
    }

    /// Makes the selected sockets of every node leave `rooms`.
    public func socketsLeave(_ rooms: String...) async throws(RedisEmitterError) {
        try await self.request(.remoteLeave, ["rooms": .array(rooms.map(MessagePackValue.string))])
    }

    /// Disconnects the selected sockets of every node; with `close`, their connections too.
    public func disconnectSockets(close: Bool = false) async throws(RedisEmitterError) {
        try await self.request(.remoteDisconnect, ["close": .bool(close)])
    }

    /// Hands an event to every node's `onServerSideEmit` handlers for the namespace. Without
    /// acknowledgements, as Node's emitter: it is no node, so no answer can reach it.
    public func serverSideEmit(_ event: String, _ arguments: SocketIOValue...) async throws(RedisEmitterError) {
        let data = MessagePackValue.array([.string(event)] + arguments.map(MessagePackValue.init))
        let message: MessagePackValue = .map([
            "uid": .string(Self.senderID),
            "type": .int(RedisAdapterRequestType.serverSideEmit.rawValue),
            "data": data,
        ])
        try await self.publish(message.encoded(), on: self.channels.request)
    }

    private func request(_ type: RedisAdapterRequestType, _ members: [String: MessagePackValue]) async throws(RedisEmitterError) {
        var message: OrderedDictionary<String, MessagePackValue> = [
            "uid": .string(Self.senderID),
            "type": .int(type.rawValue),
            "opts": .map([
                "rooms": .array(self.options.rooms.sorted().map(MessagePackValue.string)),
                "except": .array(self.options.exceptRooms.sorted().map(MessagePackValue.string)),
            ]),
        ]
        for key in members.keys.sorted() { message[key] = members[key] }
        try await self.publish(MessagePackValue.map(message).encoded(), on: self.channels.request)
    }

    private func publish(_ message: ByteBuffer, on channel: String) async throws(RedisEmitterError) {
        do {
            _ = try await self.publisher.send(RESPCommand([ByteBuffer(string: "PUBLISH"), ByteBuffer(string: channel), message]))
        } catch {
            throw .redis(error)
        }
    }
}
