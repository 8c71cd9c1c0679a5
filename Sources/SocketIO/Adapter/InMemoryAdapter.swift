import Synchronization

/// The in-process adapter: rooms of this node only, broadcasts to this node only.
///
/// Both directions of membership are kept (room → sockets, socket → rooms) so joins, leaves
/// and lookups are O(1); the lock is held for those map updates only, never while sending.
///
/// A socket's own room (named by its id) is implied by its entry in `sockets` rather than
/// stored: it would cost two sets per connection to say what the id already says.
public final class InMemoryAdapter: SocketIOAdapter {
    private struct SocketEntry {
        /// The rooms it is in, but its own.
        var named = RoomMembers()
        var inOwnRoom = false
    }

    private struct Membership {
        /// Named rooms (not sockets' own rooms) and their members.
        var rooms: [String: RoomMembers] = [:]
        /// Every known socket, with the rooms it is in.
        var sockets: [String: SocketEntry] = [:]
        /// Sockets in their own room: the rooms `rooms` does not hold.
        var ownRooms = 0

        /// The members of a room, a socket's own room included.
        func members(of room: String) -> RoomMembers {
            if let members = self.rooms[room] { return members }
            return self.sockets[room]?.inOwnRoom == true ? RoomMembers(room) : RoomMembers()
        }

        mutating func setInOwnRoom(_ socketID: String, _ inOwnRoom: Bool) {
            guard (self.sockets[socketID]?.inOwnRoom ?? false) != inOwnRoom else { return }
            self.sockets[socketID, default: SocketEntry()].inOwnRoom = inOwnRoom
            self.ownRooms += inOwnRoom ? 1 : -1
        }
    }

    private let membership = Mutex(Membership())
    private let delivery = Mutex<SocketIOLocalDelivery?>(nil)

    /// An adapter with no rooms yet.
    public init() {}

    /// Keeps the namespace's delivery, through which `broadcastLocally` reaches the sockets.
    public func attach(_ delivery: SocketIOLocalDelivery) {
        self.delivery.withLock { $0 = delivery }
    }

    /// Adds the socket to named rooms; its own room is recorded as a flag, not a set.
    public func join(_ socketID: String, rooms: Set<String>) {
        self.membership.withLock { membership in
            var named = rooms
            if named.remove(socketID) != nil { membership.setInOwnRoom(socketID, true) }
            for room in named {
                membership.sockets[socketID, default: SocketEntry()].named.insert(room)
                membership.rooms[room, default: RoomMembers()].insert(socketID)
            }
            if named.isEmpty, membership.sockets[socketID] == nil { membership.sockets[socketID] = SocketEntry() }
        }
    }

    /// Removes the socket from one room; a room left empty is dropped.
    public func leave(_ socketID: String, room: String) {
        self.membership.withLock { membership in
            guard membership.sockets[socketID] != nil else { return }
            if room == socketID {
                membership.setInOwnRoom(socketID, false)
                return
            }
            membership.sockets[socketID]?.named.remove(room)
            Self.remove(socketID, from: room, in: &membership)
        }
    }

    /// Forgets the socket and drops the rooms it leaves empty.
    public func leaveAll(_ socketID: String) {
        self.membership.withLock { membership in
            membership.setInOwnRoom(socketID, false)
            guard let entry = membership.sockets.removeValue(forKey: socketID) else { return }
            for room in entry.named {
                Self.remove(socketID, from: room, in: &membership)
            }
        }
    }

    private static func remove(_ socketID: String, from room: String, in membership: inout Membership) {
        guard var members = membership.rooms.removeValue(forKey: room) else { return }
        members.remove(socketID)
        if !members.isEmpty { membership.rooms[room] = members }
    }

    /// The socket's named rooms, with its own room while it is in it.
    public func rooms(of socketID: String) -> Set<String> {
        self.membership.withLock { membership in
            guard let entry = membership.sockets[socketID] else { return [] }
            return entry.inOwnRoom ? entry.named.set.union(CollectionOfOne(socketID)) : entry.named.set
        }
    }

    /// Named rooms with at least one member, and the own rooms of the sockets in them.
    public var localRooms: Set<String> {
        self.membership.withLock { membership in
            var rooms = Set(membership.rooms.keys)
            for (id, entry) in membership.sockets where entry.inOwnRoom { rooms.insert(id) }
            return rooms
        }
    }

    /// Number of rooms with at least one member (each socket's own room included).
    public var roomCount: Int {
        self.membership.withLock { $0.rooms.count + $0.ownRooms }
    }

    /// Every known socket, or the union of the rooms' members, minus the excepted rooms'.
    public func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String> {
        self.targets(matching: options).set
    }

    /// What `socketIDs` returns, as room members: one room without exceptions (a payment's
    /// broadcast) is its members as stored, with no set built for them.
    private func targets(matching options: SocketIOBroadcastOptions) -> RoomMembers {
        self.membership.withLock { membership in
            if options.rooms.count == 1, options.exceptRooms.isEmpty, let room = options.rooms.first {
                return membership.members(of: room)
            }
            var selected: Set<String>
            if options.rooms.isEmpty {
                selected = Set(membership.sockets.keys)
            } else {
                selected = []
                for room in options.rooms {
                    selected.formUnion(membership.members(of: room))
                }
            }
            for room in options.exceptRooms {
                selected.subtract(membership.members(of: room))
            }
            return RoomMembers(selected)
        }
    }

    /// Encodes the packets once and delivers them to this node's selected sockets; always
    /// true, as there is no other node to miss.
    @discardableResult
    public func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool {
        self.broadcastLocally(SocketIOEncodedPacket(combining: packets.map { $0.encoded() }), options: options)
        return true
    }

    /// Delivers an already encoded packet to this node's matching sockets. Cluster adapters
    /// built on this one call it for packets from other nodes.
    public func broadcastLocally(_ packet: SocketIOEncodedPacket, options: SocketIOBroadcastOptions) {
        let targets = self.targets(matching: options)
        guard !targets.isEmpty, let delivery = self.delivery.withLock({ $0 }) else { return }
        delivery.deliver(packet, to: targets, volatile: options.volatile, compress: options.compress)
    }
}

/// Makes an `InMemoryAdapter` per namespace.
public struct InMemoryAdapterFactory: SocketIOAdapterFactory {
    /// The default factory of `SocketIOServer`.
    public init() {}

    /// A new, empty `InMemoryAdapter`.
    public func makeAdapter(namespace: String) -> any SocketIOAdapter {
        InMemoryAdapter()
    }
}
