import Synchronization

/// The open sessions of one endpoint, by id. Lookups are O(1) under a lock held for the
/// dictionary access only, never across I/O.
final class SessionRegistry: Sendable {
    private let sessions = Mutex<[String: EngineIOSession]>([:])

    func insert(_ session: EngineIOSession) {
        self.sessions.withLock { $0[session.id] = session }
    }

    func session(id: String) -> EngineIOSession? {
        self.sessions.withLock { $0[id] }
    }

    func remove(_ session: EngineIOSession) {
        self.sessions.withLock { sessions in
            if sessions[session.id] === session { sessions[session.id] = nil }
        }
    }

    var count: Int { self.sessions.withLock { $0.count } }

    var all: [EngineIOSession] { self.sessions.withLock { Array($0.values) } }
}
