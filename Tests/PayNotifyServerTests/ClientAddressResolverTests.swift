import NIOCore
import Testing

@testable import PayNotifyServer

@Suite("Client address behind proxies")
struct ClientAddressResolverTests {
    /// Proxies in 10.0.0.0/8 and 2001:db8:1::/48 are ours.
    let resolver = ClientAddressResolver(trustedProxies: [IPAddressRange("10.0.0.0/8")!, IPAddressRange("2001:db8:1::/48")!])

    private func peer(_ ip: String) throws -> SocketAddress {
        try SocketAddress(ipAddress: ip, port: 54_321)
    }

    @Test(
        "A peer that is not a trusted proxy is the client, whatever X-Forwarded-For claims",
        arguments: [nil, "203.0.113.9", "10.0.0.1", "203.0.113.9, 198.51.100.1", "garbage"] as [String?]
    )
    func untrustedPeer(forwardedFor: String?) throws {
        #expect(self.resolver.clientAddress(peer: try self.peer("198.51.100.7"), forwardedFor: forwardedFor) == "198.51.100.7")
    }

    @Test("Without any trusted proxy configured, X-Forwarded-For is never believed")
    func noTrustedProxies() throws {
        let resolver = ClientAddressResolver(trustedProxies: [])
        #expect(resolver.clientAddress(peer: try self.peer("10.0.0.2"), forwardedFor: "203.0.113.9") == "10.0.0.2")
    }

    @Test(
        "Behind trusted proxies, the client is the nearest hop that is not one of them",
        arguments: [
            // one proxy: the address it saw
            ("203.0.113.9", "203.0.113.9"),
            (" 203.0.113.9 ", "203.0.113.9"),
            // a forged entry sent by the client is to the left of what our proxy appended
            ("1.2.3.4, 203.0.113.9", "203.0.113.9"),
            ("1.2.3.4,203.0.113.9", "203.0.113.9"),
            // a chain of our proxies: skip them from the right
            ("203.0.113.9, 10.0.0.5", "203.0.113.9"),
            ("1.2.3.4, 203.0.113.9, 10.1.1.1, 10.0.0.5", "203.0.113.9"),
            ("203.0.113.9, 2001:db8:1::7", "203.0.113.9"),
            // IPv6 clients
            ("2001:db8:2::42", "2001:db8:2::42"),
            ("2001:db8:2::42, 10.0.0.5", "2001:db8:2::42"),
            // empty entries are skipped
            ("203.0.113.9,, ,10.0.0.5", "203.0.113.9"),
            // every hop is one of ours: the furthest
            ("10.0.0.3, 10.0.0.4", "10.0.0.3"),
        ]
    )
    func trustedPeer(forwardedFor: String, client: String) throws {
        #expect(self.resolver.clientAddress(peer: try self.peer("10.0.0.2"), forwardedFor: forwardedFor) == client)
    }

    @Test("A trusted IPv6 proxy is believed too")
    func trustedIPv6Peer() throws {
        #expect(self.resolver.clientAddress(peer: try self.peer("2001:db8:1::1"), forwardedFor: "203.0.113.9") == "203.0.113.9")
    }

    @Test(
        "A nearest untrusted hop that is not an address falls back to the peer",
        arguments: ["garbage", "203.0.113.9, garbage", "garbage, 10.0.0.5", "203.0.113.9, unknown", "203.0.113.9:443", "[2001:db8:2::1]"]
    )
    func garbageHop(forwardedFor: String) throws {
        #expect(self.resolver.clientAddress(peer: try self.peer("10.0.0.2"), forwardedFor: forwardedFor) == "10.0.0.2")
    }

    @Test("Without the header, or with an empty one, the trusted peer itself is the client", arguments: [nil, "", " ", " , "] as [String?])
    func noHeader(forwardedFor: String?) throws {
        #expect(self.resolver.clientAddress(peer: try self.peer("10.0.0.2"), forwardedFor: forwardedFor) == "10.0.0.2")
    }

    @Test("Without a peer address the client is \"unknown\", and X-Forwarded-For is not believed", arguments: [nil, "203.0.113.9"] as [String?])
    func nilPeer(forwardedFor: String?) throws {
        #expect(self.resolver.clientAddress(peer: nil, forwardedFor: forwardedFor) == "unknown")
        #expect(self.resolver.clientAddress(peer: try SocketAddress(unixDomainSocketPath: "/tmp/paynotify.sock"), forwardedFor: forwardedFor) == "unknown")
    }

    @Test("An IPv4 client seen on an IPv6 socket, from a trusted IPv4 proxy, is resolved")
    func mappedTrustedPeer() throws {
        #expect(self.resolver.clientAddress(peer: try self.peer("::ffff:10.0.0.2"), forwardedFor: "203.0.113.9") == "203.0.113.9")
    }
}
