import Logging
import SocketIO
import SocketIOTesting
import Synchronization
import Testing

/// A server whose `/` sockets take `auth.rooms` as rooms and `auth.user` as `data`.
private func server(adapter: any SocketIOAdapterFactory = InMemoryAdapterFactory()) -> SocketIOServer {
    let io = SocketIOServer(adapter: adapter, logger: Logger(label: "server-utilities-tests"))
    io.main.onConnection { socket in
        if case .array(let rooms)? = socket.handshake.auth["rooms"] { socket.join(rooms.compactMap(\.stringValue)) }
        socket.data = ["user": socket.handshake.auth["user"] ?? .null]
        socket.on("done") { event in event.ack?() }
    }
    return io
}

/// A client as `user`, in `rooms`, once its connection handler has run.
private func join(_ io: SocketIOServer, user: String, rooms: [String] = []) async throws -> SocketIOTestClient {
    let client = try await SocketIOTestClient.connect(to: io, auth: ["user": .string(user), "rooms": .array(rooms.map { .string($0) })])
    _ = try await client.emitWithAck("done")
    return client
}

/// Two nodes linked in-process through the adapter seam's "other nodes" requirements: what a
/// cluster adapter does over the network, done here by calling the peer's local delivery.
private final class LinkedAdapters: SocketIOAdapterFactory {
    let deliveries = Mutex<[String: [SocketIOLocalDelivery]]>([:])

    func makeAdapter(namespace: String) -> any SocketIOAdapter {
        LinkedAdapter(namespace: namespace, link: self)
    }

    func others(of adapter: LinkedAdapter) -> [SocketIOLocalDelivery] {
        self.deliveries.withLock { $0[adapter.namespace, default: []] }.enumerated().filter { $0.offset != adapter.index }.map(\.element)
    }
}

private final class LinkedAdapter: SocketIOAdapter {
    let namespace: String
    let link: LinkedAdapters
    let local = InMemoryAdapter()
    private let position = Mutex<Int>(-1)
    var index: Int { self.position.withLock { $0 } }

    init(namespace: String, link: LinkedAdapters) {
        self.namespace = namespace
        self.link = link
    }

    func attach(_ delivery: SocketIOLocalDelivery) {
        self.local.attach(delivery)
        let index = self.link.deliveries.withLock { deliveries in
            deliveries[self.namespace, default: []].append(delivery)
            return deliveries[self.namespace]!.count - 1
        }
        self.position.withLock { $0 = index }
    }

    func join(_ socketID: String, rooms: Set<String>) { self.local.join(socketID, rooms: rooms) }
    func leave(_ socketID: String, room: String) { self.local.leave(socketID, room: room) }
    func leaveAll(_ socketID: String) { self.local.leaveAll(socketID) }
    func rooms(of socketID: String) -> Set<String> { self.local.rooms(of: socketID) }
    var localRooms: Set<String> { self.local.localRooms }
    func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String> { self.local.socketIDs(matching: options) }

    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool {
        let encoded = SocketIOEncodedPacket(combining: packets.map { $0.encoded() })
        self.local.broadcastLocally(encoded, options: options)
        guard !options.localOnly else { return true }
        for peer in self.link.others(of: self) {
            peer.deliver(encoded, to: peer.snapshots(matching: options).map(\.id), volatile: options.volatile)
        }
        return true
    }

    func serverCount() async -> Int { self.link.others(of: self).count + 1 }

    func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot] {
        options.localOnly ? [] : self.link.others(of: self).flatMap { $0.snapshots(matching: options) }
    }

    func addSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        for peer in self.link.others(of: self) where !options.localOnly { peer.join(matching: options, rooms: rooms) }
    }

    func removeSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        for peer in self.link.others(of: self) where !options.localOnly { peer.leave(matching: options, rooms: rooms) }
    }

    func disconnectSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, close: Bool) async {
        for peer in self.link.others(of: self) where !options.localOnly { peer.disconnect(matching: options, closeConnections: close) }
    }

    func serverSideEmitToOtherNodes(_ event: String, _ arguments: [SocketIOValue], timeout: Duration?) async -> SocketIOAckResults {
        var results = SocketIOAckResults()
        for peer in self.link.others(of: self) {
            let answer = Mutex<SocketIOValue?>(nil)
            guard timeout != nil else {
                await peer.receiveServerSideEvent(SocketIOServerSideEvent(name: event, arguments: arguments, reply: nil))
                continue
            }
            @Sendable func reply(_ arguments: [SocketIOValue]) {
                answer.withLock { $0 = arguments.first ?? .null }
            }
            await peer.receiveServerSideEvent(SocketIOServerSideEvent(name: event, arguments: arguments, reply: reply))
            if let value = answer.withLock({ $0 }) { results.responses.append(value) } else { results.missing += 1 }
        }
        return results
    }

    func broadcastWithAckToOtherNodes(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        var results = SocketIOAckResults()
        for peer in self.link.others(of: self) where !options.localOnly {
            results.merge(await peer.broadcastWithAck(event, arguments, options: options, timeout: timeout))
        }
        return results
    }
}

@Suite("Server-side utilities: fetchSockets, socketsJoin, socketsLeave, disconnectSockets, serverSideEmit")
struct SocketIOServerUtilitiesTests {
    @Test("fetchSockets reports id, rooms, data and handshake; its sockets can be sent to, joined, made to leave and disconnected")
    func fetchSockets() async throws {
        let io = server()
        let ann = try await join(io, user: "ann", rooms: ["vip"])
        _ = try await join(io, user: "bob")
        let vips = try await io.in("vip").fetchSockets()
        try #require(vips.count == 1)
        let found = vips[0]
        #expect(found.id == ann.id)
        #expect(found.rooms == [ann.id, "vip"])
        #expect(found.data == ["user": "ann"])
        #expect(found.handshake.auth["user"] == "ann")
        #expect(try await io.fetchSockets().count == 2)

        await found.emit("hello")
        await found.join("gold")
        #expect(io.main.socket(id: ann.id)?.rooms == [ann.id, "vip", "gold"])
        await found.leave("vip")
        #expect(io.main.socket(id: ann.id)?.rooms == [ann.id, "gold"])
        await found.disconnect()
        #expect(try await ann.nextEvent(named: "hello").arguments.isEmpty)
        #expect(try await ann.disconnected() == .ioServerDisconnect)
        #expect(io.main.socket(id: ann.id) == nil)
    }

    @Test("socketsJoin, socketsLeave and disconnectSockets act on the selected sockets only")
    func selectedSockets() async throws {
        let io = server()
        let a = try await join(io, user: "a", rooms: ["lobby"]).id
        let b = try await join(io, user: "b", rooms: ["lobby", "muted"]).id
        let c = try await join(io, user: "c")
        await io.in("lobby").except("muted").socketsJoin("stage")
        #expect(io.main.socket(id: a)?.rooms.contains("stage") == true)
        #expect(io.main.socket(id: b)?.rooms.contains("stage") == false)
        await io.socketsLeave("lobby")
        #expect(io.main.socket(id: a)?.rooms == [a, "stage"])
        #expect(io.main.socket(id: b)?.rooms == [b, "muted"])
        await io.in("stage", "muted").disconnectSockets()
        #expect(io.main.sockets.map(\.id) == [c.id])
        #expect(try await c.emitWithAck("done").isEmpty, "the socket left out is still connected")
    }

    @Test("A single node: serverSideEmitWithAck answers at once with no responses, serverCount is 1")
    func singleNode() async throws {
        let io = server()
        #expect(try await io.serverSideEmitWithAck("anyone", timeout: .seconds(5)).isEmpty)
        #expect(await io.main.serverCount() == 1)
    }

    @Test("Across the adapter seam, two nodes share fetchSockets, socketsJoin, broadcasts with acks and server-side events")
    func twoNodes() async throws {
        let link = LinkedAdapters()
        let first = server(adapter: link)
        let second = server(adapter: link)
        second.onServerSideEmit("node_info") { event in event.ack(["sockets": .int(second.main.socketCount)]) }
        let onFirst = try await join(first, user: "ann")
        let remote = try await join(second, user: "bob", rooms: ["team"])

        #expect(await first.main.serverCount() == 2)
        #expect(Set(try await first.fetchSockets().map(\.id)) == [onFirst.id, remote.id])
        #expect(try await first.local.fetchSockets().map(\.id) == [onFirst.id])

        await first.in("team").socketsJoin("night-shift")
        #expect(second.main.socket(id: remote.id)?.rooms.contains("night-shift") == true)

        let asked = Task { try await first.in("team").timeout(.seconds(3)).emitWithAck("status?") }
        try await remote.nextEvent(named: "status?").ack?("busy")
        #expect(try await asked.value == ["busy"])

        await first.emit("everyone")
        #expect(try await remote.nextEvent(named: "everyone").arguments.isEmpty)

        #expect(try await first.serverSideEmitWithAck("node_info") == [["sockets": 1]])
        await #expect(throws: SocketIOAckTimeoutError(responses: [], missing: 1)) {
            try await first.serverSideEmitWithAck("nobody-handles-this", timeout: .milliseconds(200))
        }
    }
}
