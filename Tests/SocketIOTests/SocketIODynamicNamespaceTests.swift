import Foundation
import Logging
import SocketIO
import SocketIOTestSupport
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

        let (refused, refusal) = await InProcessClient.connect(to: io.engine, namespace: "/tenant-7", auth: #"{"token":"wrong"}"#)
        #expect(refusal == #"44/tenant-7,{"message":"no token","data":{"namespace":"/tenant-7"}}"#)
        _ = refused

        let (client, answer) = await InProcessClient.connect(to: io.engine, namespace: "/tenant-7", auth: #"{"token":"secret"}"#)
        #expect(answer.hasPrefix(#"40/tenant-7,{"sid":"#))
        let tenant = try #require(tenants.namespaces.first)
        #expect(tenants.namespaces.map(\.name) == ["/tenant-7"])
        #expect(tenant.group === tenants)
        tenant.onConnection { socket in journal.add("own connection \(socket.namespace.name)") }

        client.send(#"2/tenant-7,1["hello"]"#)
        #expect(await client.texts(count: 1) == [#"43/tenant-7,1["hello from /tenant-7"]"#])
        #expect(journal.all == ["group middleware /tenant-7", "group connection /tenant-7"])

        let (_, unknown) = await InProcessClient.connect(to: io.engine, namespace: "/tenant-x")
        #expect(unknown == #"44/tenant-x,{"message":"Invalid namespace"}"#, "a name the pattern does not wholly match")
        #expect(io.of("/tenant-7") === tenant, "the created namespace is the one `of` returns")
    }

    @Test("A closure decides from the name and the CONNECT's auth; a broadcast on the group reaches every namespace of it")
    func closure() async {
        let io = SocketIOServer(logger: Logger(label: "dynamic-namespace-tests"))
        let rooms = io.of(matching: { name, auth in name.hasPrefix("/room-") && auth["invited"] == true })
        rooms.onConnection { socket in socket.on("done") { event in event.ack?() } }

        let (_, uninvited) = await InProcessClient.connect(to: io.engine, namespace: "/room-a", auth: #"{"invited":false}"#)
        #expect(uninvited == #"44/room-a,{"message":"Invalid namespace"}"#)
        let (a, _) = await InProcessClient.connect(to: io.engine, namespace: "/room-a", auth: #"{"invited":true}"#)
        let (b, _) = await InProcessClient.connect(to: io.engine, namespace: "/room-b", auth: #"{"invited":true}"#)
        #expect(Set(rooms.namespaces.map(\.name)) == ["/room-a", "/room-b"])

        await rooms.emit("closing", "soon")
        #expect(await a.texts(count: 1) == [#"42/room-a,["closing","soon"]"#])
        #expect(await b.texts(count: 1) == [#"42/room-b,["closing","soon"]"#])
        #expect(Set(try! await rooms.fetchSockets().map { $0.rooms.count }) == [1])
    }

    @Test("The handshake tells headers, query, address, url, issued and cross-domain as Node's does")
    func handshake() async throws {
        let io = SocketIOServer(logger: Logger(label: "dynamic-namespace-tests"))
        let seen = Mutex<SocketIOHandshake?>(nil)
        io.main.onConnection { socket in seen.withLock { $0 = socket.handshake } }
        _ = await InProcessClient.connect(to: io.engine, auth: #"{"k":1}"#)
        let handshake = try #require(seen.withLock { $0 })
        #expect(handshake.auth == ["k": 1])
        #expect(handshake.url == "/socket.io/")
        #expect(handshake.address == nil, "an in-process session has no peer address")
        #expect(!handshake.crossDomain)
        #expect(abs(Double(handshake.issued) / 1000 - handshake.time.timeIntervalSince1970) < 0.001)
    }
}
