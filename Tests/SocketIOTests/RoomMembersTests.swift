import Testing

@testable import SocketIO

@Suite("Room members kept inline until there are two")
struct RoomMembersTests {
    @Test("Inserts and removes read back as a set through every size, duplicates ignored")
    func growsAndShrinks() {
        var members = RoomMembers()
        #expect(members.isEmpty && members.set.isEmpty)
        members.insert("a")
        members.insert("a")
        #expect(members.set == ["a"])
        members.insert("b")
        members.insert("c")
        #expect(members.set == ["a", "b", "c"])
        #expect(Set(members) == ["a", "b", "c"])
        members.remove("b")
        members.remove("missing")
        #expect(members.set == ["a", "c"])
        members.remove("a")
        #expect(members.set == ["c"])
        members.remove("a")
        #expect(members.set == ["c"])
        members.remove("c")
        #expect(members.isEmpty)
        members.insert("d")
        #expect(members.set == ["d"])
    }

    @Test("Iteration and a set's conversion agree at every size")
    func iterationAndConversion() {
        for members in [Set<String>(), ["a"], ["a", "b", "c"]] {
            let stored = RoomMembers(members)
            #expect(Set(stored) == members)
            #expect(Array(stored).count == members.count, "each member once")
            #expect(stored.set == members)
            #expect(stored.isEmpty == members.isEmpty)
        }
        #expect(Array(RoomMembers("x")) == ["x"])
    }
}
