import Foundation
import NIOCore

/// Who a request really comes from. `X-Forwarded-For` is believed only when the connection
/// comes from a configured proxy; otherwise anyone could claim any address and slip past rate
/// limits and allow-lists.
public struct ClientAddressResolver: Sendable {
    public let trustedProxies: [IPAddressRange]

    public init(trustedProxies: [IPAddressRange]) {
        self.trustedProxies = trustedProxies
    }

    /// The client's IP address as text ("unknown" without one).
    public func clientAddress(peer: SocketAddress?, forwardedFor: String?) -> String {
        let peerAddress = peer?.ipAddress ?? "unknown"
        guard let forwardedFor, self.isTrusted(peerAddress) else { return peerAddress }
        // Each proxy appends the address it saw; walking back from the nearest hop, the first
        // address that is not one of our proxies is the client.
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !self.isTrusted(hop) {
            return IPAddressRange.bytes(of: hop) == nil ? peerAddress : hop
        }
        return hops.first ?? peerAddress
    }

    private func isTrusted(_ address: String) -> Bool {
        self.trustedProxies.contains { $0.contains(address) }
    }
}
