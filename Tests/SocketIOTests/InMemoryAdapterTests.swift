import Testing

@testable import SocketIO

@Suite("In-memory adapter")
struct InMemoryAdapterTests {
    /// Three sockets, each in its own room as Socket.IO does, plus shared rooms:
    /// a: lobby, vip · b: lobby · c: vip, staff
    static func populatedAdapter() -> InMemoryAdapter {
        let adapter = InMemoryAdapter()
        adapter.join("a", rooms: ["a", "lobby", "vip"])
        adapter.join("b", rooms: ["b", "lobby"])
        adapter.join("c", rooms: ["c", "vip", "staff"])
        return adapter
    }

    // MARK: Membership

    @Test("Joining records the membership both ways")
    func joinRecordsBothWays() {
        let adapter = Self.populatedAdapter()
        #expect(adapter.rooms(of: "a") == ["a", "lobby", "vip"])
        #expect(adapter.rooms(of: "c") == ["c", "vip", "staff"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["vip"])) == ["a", "c"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["lobby"])) == ["a", "b"])
        #expect(adapter.roomCount == 6)  // a, b, c, lobby, vip, staff
    }

    @Test("Joining again adds rooms without losing the old ones, and is idempotent")
    func joinIsCumulative() {
        let adapter = InMemoryAdapter()
        adapter.join("a", rooms: ["a"])
        adapter.join("a", rooms: ["lobby"])
        adapter.join("a", rooms: ["lobby"])
        #expect(adapter.rooms(of: "a") == ["a", "lobby"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["lobby"])) == ["a"])
        #expect(adapter.roomCount == 2)
    }

    @Test("Leaving a room updates both maps and removes the room once empty")
    func leaveUpdatesBothWays() {
        let adapter = Self.populatedAdapter()
        adapter.leave("c", room: "staff")
        #expect(adapter.rooms(of: "c") == ["c", "vip"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["staff"])).isEmpty)
        #expect(adapter.roomCount == 5)

        adapter.leave("a", room: "vip")
        #expect(adapter.rooms(of: "a") == ["a", "lobby"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["vip"])) == ["c"])
        #expect(adapter.roomCount == 5)  // vip still has c
    }

    @Test("Leaving a room one is not in changes nothing")
    func leaveUnknownRoom() {
        let adapter = Self.populatedAdapter()
        adapter.leave("b", room: "vip")
        adapter.leave("b", room: "nowhere")
        adapter.leave("ghost", room: "lobby")
        #expect(adapter.rooms(of: "b") == ["b", "lobby"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["vip"])) == ["a", "c"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["lobby"])) == ["a", "b"])
        #expect(adapter.roomCount == 6)
    }

    @Test("leaveAll removes the socket from every room and from the socket map")
    func leaveAllUpdatesBothWays() {
        let adapter = Self.populatedAdapter()
        adapter.leaveAll("a")
        #expect(adapter.rooms(of: "a").isEmpty)
        #expect(adapter.socketIDs(matching: .init()) == ["b", "c"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["lobby"])) == ["b"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["vip"])) == ["c"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["a"])).isEmpty)
        #expect(adapter.roomCount == 5)  // room "a" is gone
        adapter.leaveAll("a")  // a second time is harmless
        #expect(adapter.roomCount == 5)
    }

    @Test("Empty rooms are removed: everyone leaving brings the room count back to 0")
    func emptyRoomsAreRemoved() {
        let adapter = Self.populatedAdapter()
        for socket in ["a", "b", "c"] { adapter.leaveAll(socket) }
        #expect(adapter.roomCount == 0)
        #expect(adapter.socketIDs(matching: .init()).isEmpty)
        #expect(adapter.socketIDs(matching: .init(rooms: ["lobby", "vip", "staff"])).isEmpty)
    }

    @Test("Leaving rooms one by one also removes them")
    func leavingOneByOneRemovesRooms() {
        let adapter = InMemoryAdapter()
        adapter.join("a", rooms: ["a", "lobby"])
        adapter.leave("a", room: "lobby")
        adapter.leave("a", room: "a")
        #expect(adapter.roomCount == 0)
        #expect(adapter.rooms(of: "a").isEmpty)
    }

    // MARK: Broadcast selection

    static let broadcastCases: [(options: SocketIOBroadcastOptions, expected: Set<String>)] = [
        (SocketIOBroadcastOptions(), ["a", "b", "c"]),
        (SocketIOBroadcastOptions(rooms: ["lobby"]), ["a", "b"]),
        (SocketIOBroadcastOptions(rooms: ["b"]), ["b"]),
        (SocketIOBroadcastOptions(rooms: ["nowhere"]), []),
        (SocketIOBroadcastOptions(rooms: ["lobby", "vip"]), ["a", "b", "c"]),
        (SocketIOBroadcastOptions(rooms: ["staff", "b", "nowhere"]), ["b", "c"]),
        (SocketIOBroadcastOptions(exceptRooms: ["vip"]), ["b"]),
        (SocketIOBroadcastOptions(exceptRooms: ["a"]), ["b", "c"]),
        (SocketIOBroadcastOptions(rooms: ["lobby"], exceptRooms: ["vip"]), ["b"]),
        (SocketIOBroadcastOptions(rooms: ["lobby", "vip"], exceptRooms: ["staff"]), ["a", "b"]),
        (SocketIOBroadcastOptions(rooms: ["lobby", "vip"], exceptRooms: ["lobby", "staff"]), []),
        (SocketIOBroadcastOptions(rooms: ["vip"], exceptRooms: ["nowhere"]), ["a", "c"]),
    ]

    @Test("Broadcast selection", arguments: broadcastCases)
    func broadcastSelection(options: SocketIOBroadcastOptions, expected: Set<String>) {
        #expect(Self.populatedAdapter().socketIDs(matching: options) == expected)
    }

    @Test("A broadcast selection is a snapshot, not a live view")
    func selectionIsASnapshot() {
        let adapter = Self.populatedAdapter()
        let selected = adapter.socketIDs(matching: .init(rooms: ["lobby"]))
        adapter.leaveAll("a")
        #expect(selected == ["a", "b"])
        #expect(adapter.socketIDs(matching: .init(rooms: ["lobby"])) == ["b"])
    }

    @Test("Concurrent joins and leaves keep the maps consistent")
    func concurrentMembershipChanges() async {
        let adapter = InMemoryAdapter()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let id = "s\(index)"
                    adapter.join(id, rooms: [id, "all", "group\(index % 4)"])
                    if index.isMultiple(of: 2) { adapter.leaveAll(id) }
                }
            }
        }
        let remaining = Set((0..<200).filter { !$0.isMultiple(of: 2) }.map { "s\($0)" })
        #expect(adapter.socketIDs(matching: .init()) == remaining)
        #expect(adapter.socketIDs(matching: .init(rooms: ["all"])) == remaining)
        #expect(adapter.socketIDs(matching: .init(rooms: ["group0", "group2"])).isEmpty)
        #expect(adapter.roomCount == 100 + 1 + 2)  // own rooms, "all", group1 and group3
    }
}
