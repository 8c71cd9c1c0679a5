import Redis
import Synchronization

/// The shard channels one namespace's sharded adapter listens to: the namespace's and this
/// node's response channel from the start, and in the dynamic modes each room's while a socket
/// of this node is in it (Node's adapter does the same on its `create-room` and `delete-room`).
final class ShardedRoomSubscriptions: Sendable {
    private struct State {
        /// Local members of each room that has a channel in this mode.
        var members: [String: Int] = [:]
        var subscribed: Set<String> = []
    }

    private let mode: ShardedSubscriptionMode
    private let state = Mutex(State())
    /// Rooms whose count went to or from zero, applied in order by one task: a leave overtaking
    /// the join before it would leave a served room unsubscribed.
    private let changes: AsyncStream<String>.Continuation
    private let namespaceChannels: Task<Void, Never>

    init(channels: ShardedRedisChannels, nodeID: String, mode: ShardedSubscriptionMode, subscriber: RedisSubscriber) {
        self.mode = mode
        let namespaceChannels = Task {
            await subscriber.subscribe(shardChannel: channels.main)
            await subscriber.subscribe(shardChannel: channels.responses(forNode: nodeID))
        }
        self.namespaceChannels = namespaceChannels
        let (changes, continuation) = AsyncStream.makeStream(of: String.self)
        self.changes = continuation
        Task { [weak self] in
            await namespaceChannels.value
            for await room in changes {
                switch self?.settle(room) {
                case true?: await subscriber.subscribe(shardChannel: channels.room(room))
                case false?: await subscriber.unsubscribe(shardChannel: channels.room(room))
                case nil: break
                }
            }
        }
    }

    /// Whether `room`'s channel must now be subscribed (true) or unsubscribed (false), from its
    /// count now rather than from the change that queued it; nil when it already is as it should.
    private func settle(_ room: String) -> Bool? {
        self.state.withLock { state in
            let served = state.members[room, default: 0] > 0
            guard served != state.subscribed.contains(room) else { return nil }
            if served { state.subscribed.insert(room) } else { state.subscribed.remove(room) }
            return served
        }
    }

    deinit {
        self.changes.finish()
    }

    /// Returns once the namespace's and the response channel are subscribed (at once when the
    /// subscriber is not connected yet: it subscribes to them when it connects).
    func namespaceChannelsSubscribed() async {
        await self.namespaceChannels.value
    }

    /// Applies one socket's membership change (`change` makes it and says which rooms the socket
    /// joined and left) and counts it, under one lock: two changes of a room (a socket leaving it
    /// while another node's `socketsLeave` removes it too) cannot both count.
    func update(_ socketID: String, _ change: () -> (joined: Set<String>, left: Set<String>)) {
        guard self.mode != .static else {
            _ = change()
            return
        }
        let changed = self.state.withLock { state -> [String] in
            let (joined, left) = change()
            var changed: [String] = []
            for (rooms, step) in [(joined, 1), (left, -1)] {
                for room in rooms where self.hasChannel(room, socketID: socketID) {
                    let members = state.members[room, default: 0] + step
                    state.members[room] = members > 0 ? members : nil
                    if members <= 0 || (members == 1 && step > 0) { changed.append(room) }
                }
            }
            return changed
        }
        for room in changed { self.changes.yield(room) }
    }

    /// Whether `room` has a channel in this mode; a socket's own room is private whatever its
    /// length (Node asks its local sockets).
    private func hasChannel(_ room: String, socketID: String) -> Bool {
        ShardedRedisChannels.hasChannel(room, mode: self.mode) && (self.mode == .dynamicPrivate || room != socketID)
    }
}
