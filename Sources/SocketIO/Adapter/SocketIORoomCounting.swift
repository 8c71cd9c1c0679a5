/// An adapter that can say how many rooms it holds on this node, e.g. for a metrics gauge.
public protocol SocketIORoomCounting: SocketIOAdapter {
    /// Rooms with at least one member on this node (each socket's own room included).
    var roomCount: Int { get }
}

extension InMemoryAdapter: SocketIORoomCounting {}
