import DequeModule
import EngineIO
import Synchronization

/// This node's session store: disconnected sessions and the events sent since, in memory,
/// bounded by the `SocketIOConnectionStateRecovery` limits and by age.
///
/// Offsets are a per-store prefix and a sequence number, so that finding where a client left
/// off is arithmetic, not a search, and an offset from another store (another node, an earlier
/// run) is recognised as unknown instead of matching by accident.
public final class InMemorySessionStore: SocketIOSessionStore {
    private struct Entry {
        let sequence: Int
        let options: SocketIOBroadcastOptions
        let packet: SocketIOEncodedPacket
        let bytes: Int
        let recordedAt: ContinuousClock.Instant
    }

    private struct Disconnected {
        let session: SocketIOPersistedSession
        let disconnectedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries = Deque<Entry>()
        var nextSequence = 0
        var bytes = 0
        var sessions: [String: Disconnected] = [:]
        /// Private ids in the order their sessions were persisted, to expire the oldest first.
        var sessionOrder = Deque<String>()
        var statistics = SocketIOSessionStoreStatistics()
    }

    private let limits: SocketIOConnectionStateRecovery
    private let prefix: String
    private let state = Mutex(State())

    /// An empty store that keeps what `limits` allow, for `maxDisconnectionDuration`.
    public init(limits: SocketIOConnectionStateRecovery) {
        self.limits = limits
        self.prefix = RandomIDGenerator().next() + "-"
    }

    /// What the store holds now.
    public var statistics: SocketIOSessionStoreStatistics {
        self.state.withLock { state in
            var statistics = state.statistics
            statistics.sessions = state.sessions.count
            statistics.packets = state.entries.count
            statistics.bytes = state.bytes
            return statistics
        }
    }

    /// Stamps each event with this store's next offset and keeps it, dropping the oldest past a bound.
    public func record(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) -> [SocketIOPacket] {
        let now = ContinuousClock.now
        return self.state.withLock { state in
            self.expire(&state, now: now)
            return packets.map { packet in
                guard packet.kind == .event, packet.ackID == nil, case .array(let elements)? = packet.payload else { return packet }
                let sequence = state.nextSequence
                state.nextSequence += 1
                var stamped = packet
                stamped.payload = .array(elements + [.string(self.prefix + String(sequence))])
                let encoded = stamped.encoded()
                let bytes = encoded.frames.reduce(0) { $0 + $1.byteCount }
                state.entries.append(Entry(sequence: sequence, options: options, packet: encoded, bytes: bytes, recordedAt: now))
                state.bytes += bytes
                self.enforcePacketBounds(&state)
                return stamped
            }
        }
    }

    /// Keeps the session, dropping the oldest past `maximumSessions`.
    public func persist(_ session: SocketIOPersistedSession) {
        let now = ContinuousClock.now
        self.state.withLock { state in
            self.expire(&state, now: now)
            state.sessions[session.privateID] = Disconnected(session: session, disconnectedAt: now)
            state.sessionOrder.append(session.privateID)
            while state.sessions.count > self.limits.maximumSessions, let oldest = state.sessionOrder.popFirst() {
                if state.sessions.removeValue(forKey: oldest) != nil { state.statistics.evictedSessions += 1 }
            }
        }
    }

    /// The session with what it missed, if every event after `offset` is still kept.
    public func restore(privateID: String, offset: String) async -> SocketIORecoveredSession? {
        let now = ContinuousClock.now
        return self.state.withLock { state in
            self.expire(&state, now: now)
            guard let disconnected = state.sessions.removeValue(forKey: privateID) else { return nil }
            // Every event after the client's offset must still be here, or it would miss one unawares.
            let first = state.entries.first?.sequence ?? state.nextSequence
            guard offset.hasPrefix(self.prefix), let sequence = Int(offset.dropFirst(self.prefix.count)),
                sequence >= first - 1, sequence < state.nextSequence
            else { return nil }
            let rooms = disconnected.session.rooms
            let missed = state.entries.dropFirst(sequence + 1 - first).filter { Self.reaches(rooms, $0.options) }.map(\.packet)
            return SocketIORecoveredSession(session: disconnected.session, missedPackets: missed)
        }
    }

    /// Whether a broadcast with `options` would have reached a socket in `rooms`.
    private static func reaches(_ rooms: Set<String>, _ options: SocketIOBroadcastOptions) -> Bool {
        (options.rooms.isEmpty || !options.rooms.isDisjoint(with: rooms)) && options.exceptRooms.isDisjoint(with: rooms)
    }

    private func expire(_ state: inout State, now: ContinuousClock.Instant) {
        let threshold = now - self.limits.maxDisconnectionDuration
        while let oldest = state.entries.first, oldest.recordedAt < threshold {
            state.bytes -= oldest.bytes
            state.entries.removeFirst()
        }
        while let oldest = state.sessionOrder.first {
            guard let disconnected = state.sessions[oldest] else {
                state.sessionOrder.removeFirst()
                continue
            }
            guard disconnected.disconnectedAt < threshold else { break }
            state.sessions[oldest] = nil
            state.sessionOrder.removeFirst()
        }
    }

    private func enforcePacketBounds(_ state: inout State) {
        while state.entries.count > self.limits.maximumBufferedPackets || state.bytes > self.limits.maximumBufferedBytes,
            let oldest = state.entries.popFirst()
        {
            state.bytes -= oldest.bytes
            state.statistics.evictedPackets += 1
        }
    }
}
