import EngineIO
import HTTPTypes
import Synchronization

/// At most `maximum` open connections per client address, so one address cannot take every
/// file descriptor the server has.
final class ConnectionsPerAddressLimit: EngineIOAdmissionPolicy {
    private let maximum: Int
    private let addresses: ClientAddressResolver
    private let counts = Mutex<[String: Int]>([:])

    init(maximum: Int, addresses: ClientAddressResolver) {
        self.maximum = maximum
        self.addresses = addresses
    }

    func admit(_ request: EngineIOConnectionRequest) -> EngineIOAdmission {
        let client = self.addresses.clientAddress(peer: request.remoteAddress, forwardedFor: request.headers[.xForwardedFor])
        let admitted = self.counts.withLock { counts in
            guard counts[client, default: 0] < self.maximum else { return false }
            counts[client, default: 0] += 1
            return true
        }
        guard admitted else {
            return .refused(EngineIORequestError(.forbidden, detail: "more than \(self.maximum) connections from \(client)"))
        }
        return .admitted {
            self.counts.withLock { counts in
                let remaining = counts[client, default: 1] - 1
                counts[client] = remaining > 0 ? remaining : nil
            }
        }
    }
}
