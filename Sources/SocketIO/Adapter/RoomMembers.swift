/// A set of socket ids or room names that holds none or one inline and allocates a `Set` only
/// for two or more. On a payment page each socket is in one named room, its booking's, and most
/// such rooms have one member: as `Set`s both sides of that membership cost about 100 bytes each,
/// per connection.
struct RoomMembers: Sequence {
    private enum Storage {
        case none
        case one(String)
        case many(Set<String>)
    }

    private var storage: Storage = .none

    init() {}

    var isEmpty: Bool {
        if case .none = self.storage { return true }
        return false
    }

    var set: Set<String> {
        switch self.storage {
        case .none: []
        case .one(let member): [member]
        case .many(let members): members
        }
    }

    mutating func insert(_ member: String) {
        switch self.storage {
        case .none:
            self.storage = .one(member)
        case .one(let existing) where existing == member:
            break
        case .one(let existing):
            self.storage = .many([existing, member])
        case .many(var members):
            // Released first, so the set is uniquely referenced and grows in place.
            self.storage = .none
            members.insert(member)
            self.storage = .many(members)
        }
    }

    mutating func remove(_ member: String) {
        switch self.storage {
        case .one(let existing) where existing == member:
            self.storage = .none
        case .many(var members):
            self.storage = .none
            members.remove(member)
            if members.count == 1, let last = members.first {
                self.storage = .one(last)
            } else {
                self.storage = .many(members)
            }
        case .none, .one:
            break
        }
    }

    func makeIterator() -> Set<String>.Iterator {
        self.set.makeIterator()
    }
}
