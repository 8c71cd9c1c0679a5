/// Identifies one listener added with `on`, `once`, `onAny`, `prependAny` or `onAnyOutgoing`,
/// for removing it with `off`, `offAny` or `offAnyOutgoing`: Swift closures cannot be compared,
/// so where Node passes the function back, a token is passed.
public struct SocketIOListenerToken: Hashable, Sendable {
    let id: Int
}

/// A list of listeners in the order they run, each with its token; `once` listeners are taken
/// out as they are handed out to run. A value: a socket keeps its lists inside its lock.
struct SocketIOListeners<Handler: Sendable>: Sendable {
    private struct Entry: Sendable {
        let token: SocketIOListenerToken
        let once: Bool
        let handler: Handler
    }

    private var entries: [Entry] = []

    var isEmpty: Bool { self.entries.isEmpty }

    mutating func append(_ handler: Handler, token: SocketIOListenerToken, once: Bool = false) {
        self.entries.append(Entry(token: token, once: once, handler: handler))
    }

    mutating func prepend(_ handler: Handler, token: SocketIOListenerToken) {
        self.entries.insert(Entry(token: token, once: false, handler: handler), at: 0)
    }

    /// Whether the token was one of these listeners.
    @discardableResult
    mutating func remove(_ token: SocketIOListenerToken) -> Bool {
        guard let index = self.entries.firstIndex(where: { $0.token == token }) else { return false }
        self.entries.remove(at: index)
        return true
    }

    /// The handlers to run for one event, in order; `once` ones are removed by taking them.
    mutating func take() -> [Handler] {
        let handlers = self.entries.map(\.handler)
        // Only when there is one to remove: `removeAll` makes even an empty array unique, a
        // buffer that would stay with every socket.
        if self.entries.contains(where: \.once) { self.entries.removeAll { $0.once } }
        return handlers
    }
}
