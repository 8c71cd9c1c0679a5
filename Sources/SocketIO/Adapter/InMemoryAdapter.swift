import Synchronization

/// The in-process adapter: rooms of this node only, broadcasts to this node only.
///
/// Both directions of membership are kept (room → sockets, socket → rooms) so joins, leaves
/// and lookups are O(1); the lock is held for those map updates only, never while sending.
public final class InMemoryAdapter: SocketIOAdapter {
    private struct Membership {
        var rooms: [String: Set<String>] = [:]
        var socketRooms: [String: Set<String>] = [:]
    }

    private let membership = Mutex(Membership())
    private let delivery = Mutex<SocketIOLocalDelivery?>(nil)

    public init() {}

    public func attach(_ delivery: SocketIOLocalDelivery) {
        self.delivery.withLock { $0 = delivery }
    }

    public func join(_ socketID: String, rooms: Set<String>) {
        self.membership.withLock { membership in
            membership.socketRooms[socketID, default: []].formUnion(rooms)
            for room in rooms {
                membership.rooms[room, default: []].insert(socketID)
            }
        }
    }

    public func leave(_ socketID: String, room: String) {
        self.membership.withLock { membership in
            membership.socketRooms[socketID]?.remove(room)
            Self.remove(socketID, from: room, in: &membership)
        }
    }

    public func leaveAll(_ socketID: String) {
        self.membership.withLock { membership in
            guard let rooms = membership.socketRooms.removeValue(forKey: socketID) else { return }
            for room in rooms {
                Self.remove(socketID, from: room, in: &membership)
            }
        }
    }

    private static func remove(_ socketID: String, from room: String, in membership: inout Membership) {
        guard var members = membership.rooms[room] else { return }
        members.remove(socketID)
        membership.rooms[room] = members.isEmpty ? nil : members
    }

    public func rooms(of socketID: String) -> Set<String> {
        self.membership.withLock { $0.socketRooms[socketID] ?? [] }
    }

    /// Number of rooms with at least one member (each socket's own room included).
    public var roomCount: Int {
        self.membership.withLock { $0.rooms.count }
    }

    public func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String> {
        self.membership.withLock { membership in
            var selected: Set<String>
            if options.rooms.isEmpty {
                selected = Set(membership.socketRooms.keys)
            } else if options.rooms.count == 1, let room = options.rooms.first {
                selected = membership.rooms[room] ?? []
            } else {
                selected = []
                for room in options.rooms {
                    if let members = membership.rooms[room] { selected.formUnion(members) }
                }
            }
            for room in options.exceptRooms {
                if let members = membership.rooms[room] { selected.subtract(members) }
            }
            return selected
        }
    }

    @discardableResult
    public func broadcast(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions) async -> Bool {
        self.broadcastLocally(packet.encoded(), options: options)
        return true
    }

    /// Delivers an already encoded packet to this node's matching sockets. Cluster adapters
    /// built on this one call it for packets from other nodes.
    public func broadcastLocally(_ packet: SocketIOEncodedPacket, options: SocketIOBroadcastOptions) {
        let targets = self.socketIDs(matching: options)
        guard !targets.isEmpty, let delivery = self.delivery.withLock({ $0 }) else { return }
        delivery.deliver(packet, to: targets)
    }
}

/// Makes an `InMemoryAdapter` per namespace.
public struct InMemoryAdapterFactory: SocketIOAdapterFactory {
    public init() {}

    public func makeAdapter(namespace: String) -> any SocketIOAdapter {
        InMemoryAdapter()
    }
}
