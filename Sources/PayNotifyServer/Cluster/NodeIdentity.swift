import EngineIO
import Foundation

/// Which node a dashboard figure comes from: in a cluster, the Redis adapter's node id (the one
/// its messages carry); alone, an id drawn at start. The host name is for people.
struct NodeIdentity: Sendable, Hashable, Encodable {
    let id: String
    let host: String

    init(id: String = RandomIDGenerator().next(), host: String = ProcessInfo.processInfo.hostName) {
        self.id = id
        self.host = host
    }
}
