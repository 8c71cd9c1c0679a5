import Synchronization

/// The adapter of a dynamic namespace group's umbrella namespace: it has no sockets of its own
/// and hands every broadcast and server-side request to each namespace of the group (whose
/// own adapters reach the other nodes), with the packets addressed to that namespace.
final class SocketIOGroupAdapter: SocketIOAdapter {
    private let weakGroup = Mutex<WeakGroup?>(nil)

    var group: WeakGroup? {
        get { self.weakGroup.withLock { $0 } }
        set { self.weakGroup.withLock { $0 = newValue } }
    }

    private var namespaces: [SocketIONamespace] { self.group?.group?.namespaces ?? [] }

    func attach(_ delivery: SocketIOLocalDelivery) {}
    func join(_ socketID: String, rooms: Set<String>) {}
    func leave(_ socketID: String, room: String) {}
    func leaveAll(_ socketID: String) {}
    func rooms(of socketID: String) -> Set<String> { [] }
    func socketIDs(matching options: SocketIOBroadcastOptions) -> Set<String> { [] }
    var localRooms: Set<String> { [] }

    func broadcast(_ packets: [SocketIOPacket], options: SocketIOBroadcastOptions) async -> Bool {
        var reachedAll = true
        for namespace in self.namespaces {
            let addressed = packets.map { packet in
                var packet = packet
                packet.namespace = namespace.name
                return packet
            }
            reachedAll = await namespace.broadcast(addressed, options: options) && reachedAll
        }
        return reachedAll
    }

    /// The group's namespaces are the umbrella's "other nodes": each answers for all of its own.
    func fetchSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, timeout: Duration) async throws -> [SocketIOSocketSnapshot] {
        var found: [SocketIOSocketSnapshot] = []
        for namespace in self.namespaces {
            found += try await self.operator(on: namespace, options).timeout(timeout).fetchSockets().map(\.snapshot)
        }
        return found
    }

    func roomsOnOtherNodes(timeout: Duration) async throws -> Set<String> {
        var rooms: Set<String> = []
        for namespace in self.namespaces { rooms.formUnion(try await namespace.allRooms()) }
        return rooms
    }

    func addSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        for namespace in self.namespaces { await self.operator(on: namespace, options).socketsJoin(rooms) }
    }

    func removeSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        for namespace in self.namespaces { await self.operator(on: namespace, options).socketsLeave(rooms) }
    }

    func disconnectSocketsOnOtherNodes(_ options: SocketIOBroadcastOptions, close: Bool) async {
        for namespace in self.namespaces { await self.operator(on: namespace, options).disconnectSockets(closeConnections: close) }
    }

    func broadcastWithAckToOtherNodes(_ event: String, _ arguments: [SocketIOValue], options: SocketIOBroadcastOptions, timeout: Duration) async -> SocketIOAckResults {
        await withTaskGroup(of: SocketIOAckResults.self) { group in
            for namespace in self.namespaces {
                group.addTask {
                    do throws(SocketIOAckTimeoutError) {
                        return SocketIOAckResults(responses: try await self.operator(on: namespace, options).timeout(timeout).emitWithAck(event, arguments: arguments))
                    } catch {
                        return SocketIOAckResults(responses: error.responses, missing: error.missing)
                    }
                }
            }
            var results = SocketIOAckResults()
            for await partial in group { results.merge(partial) }
            return results
        }
    }

    private func `operator`(on namespace: SocketIONamespace, _ options: SocketIOBroadcastOptions) -> SocketIOBroadcastOperator {
        var selected = namespace.all.to(options.rooms).except(options.exceptRooms)
        if options.localOnly { selected = selected.local }
        if options.volatile { selected = selected.volatile }
        selected = selected.compress(options.compress)
        return selected
    }
}
