import Logging
import Synchronization

/// This node's part of the server-side utilities (the adapter does the other nodes'), also
/// what a cluster adapter runs for requests from other nodes (through `SocketIOLocalDelivery`).
extension SocketIONamespace {
    func localSnapshots(matching options: SocketIOBroadcastOptions) -> [SocketIOSocketSnapshot] {
        self.sockets(ids: self.adapter.socketIDs(matching: options)).map(\.snapshot)
    }

    func localJoin(matching options: SocketIOBroadcastOptions, rooms: Set<String>) {
        for socket in self.sockets(ids: self.adapter.socketIDs(matching: options)) { socket.join(rooms) }
    }

    func localLeave(matching options: SocketIOBroadcastOptions, rooms: Set<String>) {
        for socket in self.sockets(ids: self.adapter.socketIDs(matching: options)) {
            for room in rooms { socket.leave(room) }
        }
    }

    func localDisconnect(matching options: SocketIOBroadcastOptions, closeConnections: Bool) {
        for socket in self.sockets(ids: self.adapter.socketIDs(matching: options)) {
            socket.disconnect(closeConnection: closeConnections)
        }
    }

    /// Asks each selected socket of this node for an acknowledgement, all at once, and collects
    /// what arrives before `timeout`.
    func localBroadcastWithAck(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        let results = Mutex(SocketIOAckResults())
        let asked = await self.localBroadcastWithAck(event, arguments, options: options, timeout: timeout) { answer in
            results.withLock { $0.responses.append(answer) }
        }
        return results.withLock { results in
            results.missing = asked - results.responses.count
            return results
        }
    }

    /// Asks each selected socket of this node for an acknowledgement, all at once: `onAsked`
    /// learns how many before any answer, and `onAnswer` gets each answer as it arrives (a
    /// cluster adapter relays them one by one, so that the asking node has them before its own
    /// timeout). Returns how many were asked, once every socket answered or `timeout` passed.
    func localBroadcastWithAck(
        _ event: String,
        _ arguments: [SocketIOValue],
        options: SocketIOBroadcastOptions,
        timeout: Duration,
        onAsked: (Int) -> Void = { _ in },
        onAnswer: @escaping @Sendable (SocketIOValue) -> Void
    ) async -> Int {
        let targets = self.sockets(ids: self.adapter.socketIDs(matching: options))
        onAsked(targets.count)
        await withTaskGroup(of: Void.self) { group in
            for socket in targets {
                group.addTask {
                    if let answer = try? await socket.emitWithAck(event, arguments: arguments, timeout: timeout) {
                        onAnswer(answer.first ?? .null)
                    }
                }
            }
        }
        return targets.count
    }

    /// The rooms of this namespace on every node, sockets' own rooms included (Node's
    /// `adapter.allRooms()`).
    /// - Throws: What the adapter throws when it cannot ask the other nodes.
    public func allRooms() async throws -> Set<String> {
        let remote = try await self.adapter.roomsOnOtherNodes(timeout: self.defaultAckTimeout)
        return self.adapter.localRooms.union(remote)
    }

    /// Runs this node's handler for a server-side event from another node. Without a handler
    /// nothing answers, and the sender counts this node as missing (as Node's does).
    func receiveServerSideEvent(_ event: SocketIOServerSideEvent) async {
        guard let handler = self.handlers.serverSideHandler(for: event.name) ?? self.group?.handlers.serverSideHandler(for: event.name) else {
            self.logger.debug("No handler for server-side event", metadata: ["event": .string(event.name)])
            return
        }
        await handler(event)
    }

    // MARK: Server-side events

    /// Sends an event to this namespace on every other node of the cluster (their
    /// `onServerSideEmit` handlers); with a single node, to nobody.
    public func serverSideEmit(_ event: String, _ arguments: SocketIOValue...) async {
        await self.serverSideEmit(event, arguments: arguments)
    }

    /// Sends an event, its arguments given as an array, to this namespace on every other node.
    public func serverSideEmit(_ event: String, arguments: [SocketIOValue]) async {
        _ = await self.adapter.serverSideEmitToOtherNodes(event, arguments, timeout: nil)
    }

    /// Sends an event to every other node and waits for each one's answer (its handler's `ack`).
    /// - Throws: `SocketIOAckTimeoutError`, with the answers that arrived, when some nodes had
    ///   not answered by `timeout` (the server's `ackTimeout` when nil).
    public func serverSideEmitWithAck(_ event: String, _ arguments: SocketIOValue..., timeout: Duration? = nil) async throws(SocketIOAckTimeoutError) -> [SocketIOValue] {
        try await self.serverSideEmitWithAck(event, arguments: arguments, timeout: timeout)
    }

    /// Sends an event, its arguments given as an array, to every other node and waits for
    /// each one's answer.
    /// - Throws: `SocketIOAckTimeoutError` when some nodes had not answered by `timeout`.
    public func serverSideEmitWithAck(_ event: String, arguments: [SocketIOValue], timeout: Duration? = nil) async throws(SocketIOAckTimeoutError) -> [SocketIOValue] {
        let results = await self.adapter.serverSideEmitToOtherNodes(event, arguments, timeout: timeout ?? self.defaultAckTimeout)
        guard results.missing == 0 else { throw SocketIOAckTimeoutError(responses: results.responses, missing: results.missing) }
        return results.responses
    }

    /// How many nodes serve this namespace, this one included.
    public func serverCount() async -> Int {
        await self.adapter.serverCount()
    }
}
