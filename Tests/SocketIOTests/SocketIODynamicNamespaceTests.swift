import Foundation
import HTTPTypes
import Logging
import SocketIO
import SocketIOTesting
import Synchronization
import Testing

private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])

    func add(_ entry: String) { self.entries.withLock { $0.append(entry) } }
    var all: [String] { self.entries.withLock { $0 } }
}

@Suite("Dynamic namespaces: groups that create namespaces on demand, with the group's middleware and handlers")
struct SocketIODynamicNamespaceTests {
    @Test("A name the pattern matches creates its namespace on first CONNECT; the group's middleware and handlers run before the namespace's own")
    func pattern() async throws {
        let io = SocketIOServer(logger: Logger(label: "dynamic-namespace-tests"))
        let journal = Journal()
        let tenants = io.of(matching: /\/tenant-\d+/)
        tenants.use { context in
            guard context.handshake.auth["token"] == "secret" else { throw SocketIOConnectError("no token", data: ["namespace": .string(context.namespace)]) }
            journal.add("group middleware \(context.namespace)")
        }
        tenants.onConnection { socket in journal.add("group connection \(socket.namespace.name)") }
        tenants.on("hello") { socket, event in event.ack?(.string("hello from \(socket.namespace.name)")) }

        let refused = await #expect(throws: SocketIOTestError.self) {
            try await SocketIOTestClient.connect(to: io, namespace: "/tenant-7", auth: ["token": "wrong"])
        }
        #expect(refused?.refusal == SocketIOConnectError("no token", data: ["namespace": "/tenant-7"]))

        let client = try await SocketIOTestClient.connect(to: io, namespace: "/tenant-7", auth: ["token": "secret"])
        let tenant = try #require(tenants.namespaces.first)
        #expect(tenants.namespaces.map(\.name) == ["/tenant-7"])
        #expect(tenant.group === tenants)
        #expect(try await client.emitWithAck("hello") == ["hello from /tenant-7"])
        #expect(journal.all == ["group middleware /tenant-7", "group connection /tenant-7"])

        let unknown = await #expect(throws: SocketIOTestError.self) {
            try await SocketIOTestClient.connect(to: io, namespace: "/tenant-x")
        }
        #expect(unknown?.refusal?.message == "Invalid namespace", "a name the pattern does not wholly match")
        #expect(io.of("/tenant-7") === tenant, "the created namespace is the one `of` returns")
    }

    @Test("A closure decides from the name and the CONNECT's auth; a broadcast on the group reaches every namespace of it")
    func closure() async throws {
        let io = SocketIOServer(logger: Logger(label: "dynamic-namespace-tests"))
        let rooms = io.of(matching: { name, auth in name.hasPrefix("/room-") && auth["invited"] == true })

        let uninvited = await #expect(throws: SocketIOTestError.self) {
            try await SocketIOTestClient.connect(to: io, namespace: "/room-a", auth: ["invited": false])
        }
        #expect(uninvited?.refusal?.message == "Invalid namespace")
        let a = try await SocketIOTestClient.connect(to: io, namespace: "/room-a", auth: ["invited": true])
        let b = try await SocketIOTestClient.connect(to: io, namespace: "/room-b", auth: ["invited": true])
        #expect(Set(rooms.namespaces.map(\.name)) == ["/room-a", "/room-b"])

        await rooms.emit("closing", "soon")
        #expect(try await a.nextEvent(named: "closing").arguments == ["soon"])
        #expect(try await b.nextEvent(named: "closing").arguments == ["soon"])
        #expect(Set(try await rooms.fetchSockets().map(\.id)) == [a.id, b.id])
    }

    @Test("The handshake tells headers, query, address, url, issued and cross-domain as Node's does")
    func handshake() async throws {
        let io = SocketIOServer(logger: Logger(label: "dynamic-namespace-tests"))
        let seen = Mutex<SocketIOHandshake?>(nil)
        io.main.onConnection { socket in
            seen.withLock { $0 = socket.handshake }
            socket.on("done") { event in event.ack?() }
        }
        let client = try await SocketIOTestClient.connect(to: io, auth: ["k": 1], headers: [.origin: "https://shop.example"], query: ["b": "2", "a": "x y"])
        _ = try await client.emitWithAck("done")
        let handshake = try #require(seen.withLock { $0 })
        #expect(handshake.auth == ["k": 1])
        #expect(handshake.query["a"] == "x y")
        #expect(handshake.url == "/socket.io/?EIO=4&a=x%20y&b=2&transport=websocket")
        #expect(handshake.headers[.origin] == "https://shop.example")
        #expect(handshake.crossDomain)
        #expect(handshake.address == nil, "an in-process session has no peer address")
        #expect(abs(Double(handshake.issued) / 1000 - handshake.time.timeIntervalSince1970) < 0.001)
    }
}
