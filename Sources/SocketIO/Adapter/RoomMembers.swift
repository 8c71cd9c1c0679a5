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

    init(_ member: String) {
        self.storage = .one(member)
    }

    init(_ members: Set<String>) {
        if members.count > 1 {
            self.storage = .many(members)
        } else if let member = members.first {
            self.storage = .one(member)
        }
    }

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

    /// Iterates without building a `Set` for a single member.
    func makeIterator() -> Iterator {
        switch self.storage {
        case .none: Iterator(state: .one(nil))
        case .one(let member): Iterator(state: .one(member))
        case .many(let members): Iterator(state: .many(members.makeIterator()))
        }
    }

    struct Iterator: IteratorProtocol {
        fileprivate enum State {
            case one(String?)
            case many(Set<String>.Iterator)
        }

        fileprivate var state: State

        mutating func next() -> String? {
            switch self.state {
            case .one(let member):
                self.state = .one(nil)
                return member
            case .many(var members):
                let next = members.next()
                self.state = .many(members)
                return next
            }
        }
    }
}
