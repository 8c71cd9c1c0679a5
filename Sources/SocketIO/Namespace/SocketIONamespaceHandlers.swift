import Synchronization

/// The middleware and handlers registered on a namespace or a dynamic namespace group: kept
/// apart from the sockets so a group's apply to every namespace created for it.
final class SocketIONamespaceHandlers: Sendable {
    private struct State {
        var middleware: [SocketIOMiddleware] = []
        var connectionHandlers: [SocketIONamespace.ConnectionHandler] = []
        var eventHandlers: [String: SocketIONamespace.EventHandler] = [:]
        var disconnectingHandlers: [SocketIOSocket.DisconnectHandler] = []
        var serverSideHandlers: [String: SocketIOServerSideEvent.Handler] = [:]
    }

    private let state = Mutex(State())

    func use(_ middleware: @escaping SocketIOMiddleware) {
        self.state.withLock { $0.middleware.append(middleware) }
    }

    func onConnection(_ handler: @escaping SocketIONamespace.ConnectionHandler) {
        self.state.withLock { $0.connectionHandlers.append(handler) }
    }

    func on(_ event: String, _ handler: @escaping SocketIONamespace.EventHandler) {
        self.state.withLock { $0.eventHandlers[event] = handler }
    }

    func onDisconnecting(_ handler: @escaping SocketIOSocket.DisconnectHandler) {
        self.state.withLock { $0.disconnectingHandlers.append(handler) }
    }

    func onServerSideEmit(_ event: String, _ handler: @escaping SocketIOServerSideEvent.Handler) {
        self.state.withLock { $0.serverSideHandlers[event] = handler }
    }

    var middleware: [SocketIOMiddleware] { self.state.withLock { $0.middleware } }
    var connectionHandlers: [SocketIONamespace.ConnectionHandler] { self.state.withLock { $0.connectionHandlers } }
    var disconnectingHandlers: [SocketIOSocket.DisconnectHandler] { self.state.withLock { $0.disconnectingHandlers } }

    func eventHandler(for event: String) -> SocketIONamespace.EventHandler? {
        self.state.withLock { $0.eventHandlers[event] }
    }

    func serverSideHandler(for event: String) -> SocketIOServerSideEvent.Handler? {
        self.state.withLock { $0.serverSideHandlers[event] }
    }
}
