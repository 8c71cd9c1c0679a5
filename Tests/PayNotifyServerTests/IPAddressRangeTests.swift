import NIOCore
import Testing

@testable import PayNotifyServer

@Suite("IP address ranges")
struct IPAddressRangeTests {
    @Test(
        "A range contains exactly the addresses its prefix covers",
        arguments: [
            // IPv4, one address (/32 written or implied)
            ("203.0.113.9", "203.0.113.9", true),
            ("203.0.113.9", "203.0.113.10", false),
            ("203.0.113.9/32", "203.0.113.9", true),
            ("203.0.113.9/32", "203.0.113.8", false),
            // IPv4 /24 and other prefixes
            ("203.0.113.0/24", "203.0.113.0", true),
            ("203.0.113.0/24", "203.0.113.255", true),
            ("203.0.113.0/24", "203.0.112.255", false),
            ("203.0.113.0/24", "203.0.114.0", false),
            ("203.0.113.77/24", "203.0.113.1", true),  // host bits in the network are ignored
            ("10.0.0.0/8", "10.255.255.255", true),
            ("10.0.0.0/8", "11.0.0.0", false),
            ("192.168.0.0/23", "192.168.1.200", true),
            ("192.168.0.0/23", "192.168.2.1", false),
            ("172.16.0.0/12", "172.31.255.255", true),
            ("172.16.0.0/12", "172.32.0.0", false),
            // IPv4 /0: every IPv4 address
            ("0.0.0.0/0", "1.2.3.4", true),
            ("0.0.0.0/0", "255.255.255.255", true),
            // IPv6
            ("2001:db8::/32", "2001:db8::1", true),
            ("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("2001:db8::/32", "2001:0db8:0000:0000:0000:0000:0000:0042", true),
            ("2001:db8::1", "2001:db8:0:0:0:0:0:1", true),
            ("2001:db8::1", "2001:db8::2", false),
            ("2001:db8::1/128", "2001:db8::1", true),
            ("::/0", "fe80::1", true),
            // families do not mix, except IPv4-mapped IPv6 against IPv4 ranges
            ("2001:db8::/32", "203.0.113.9", false),
            ("0.0.0.0/0", "2001:db8::1", false),
            ("::/0", "203.0.113.9", false),
            ("203.0.113.0/24", "::ffff:203.0.113.9", true),
            ("203.0.113.9", "::ffff:203.0.113.9", true),
            ("203.0.113.0/24", "::ffff:203.0.114.9", false),
            ("203.0.113.0/24", "::203.0.113.9", false),  // IPv4-compatible, not mapped
            ("203.0.113.0/24", "64:ff9b::203.0.113.9", false),  // NAT64, not mapped
            // not addresses
            ("203.0.113.0/24", "203.0.113.9:80", false),
            ("203.0.113.0/24", "unknown", false),
            ("203.0.113.0/24", "", false),
            ("0.0.0.0/0", "garbage", false),
        ]
    )
    func contains(range text: String, address: String, expected: Bool) throws {
        let range = try #require(IPAddressRange(text))
        #expect(range.contains(address) == expected)
        #expect(range.description == text)
    }

    @Test("A socket address is matched by its IP, whatever its port")
    func socketAddress() throws {
        let range = try #require(IPAddressRange("203.0.113.0/24"))
        #expect(range.contains(try SocketAddress(ipAddress: "203.0.113.9", port: 443)))
        #expect(!range.contains(try SocketAddress(ipAddress: "198.51.100.9", port: 443)))
        let v6 = try #require(IPAddressRange("2001:db8::/32"))
        #expect(v6.contains(try SocketAddress(ipAddress: "2001:db8::5", port: 1)))
        #expect(range.contains(try SocketAddress(ipAddress: "::ffff:203.0.113.9", port: 1)))
        #expect(!range.contains(try SocketAddress(unixDomainSocketPath: "/tmp/paynotify-test.sock")))
    }

    @Test(
        "Text that is not an address or CIDR range is refused",
        arguments: [
            "", "abc", "300.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "/24", "1.2.3.4/24/1",
            "1.2.3.4/abc", "1.2.3.4/ 24", " 1.2.3.4", "2001:db8::/129", "2001:db8:::1", "gggg::1", "203.0.113.0/24,10.0.0.0/8",
            "localhost",
        ]
    )
    func invalid(text: String) {
        #expect(IPAddressRange(text) == nil)
    }

    @Test("Prefixes at the edges are accepted", arguments: ["1.2.3.4/0", "1.2.3.4/32", "::/0", "::1/128"])
    func edgePrefixes(text: String) {
        #expect(IPAddressRange(text) != nil)
    }

    @Test("A list is comma separated; spaces and empty entries are ignored")
    func list() throws {
        let ranges = try IPAddressRange.list(" 10.0.0.0/8 ,192.168.1.1,, 2001:db8::/32 , ").get()
        #expect(ranges.map(\.description) == ["10.0.0.0/8", "192.168.1.1", "2001:db8::/32"])
        #expect(ranges == [IPAddressRange("10.0.0.0/8"), IPAddressRange("192.168.1.1"), IPAddressRange("2001:db8::/32")].compactMap { $0 })
        #expect(try IPAddressRange.list("").get().isEmpty)
        #expect(try IPAddressRange.list(" , ,").get().isEmpty)
    }

    @Test(
        "A list with an invalid entry reports the first one, trimmed",
        arguments: [
            ("10.0.0.0/8, nonsense, 300.1.1.1", "nonsense"),
            ("300.1.1.1,nonsense", "300.1.1.1"),
            ("10.0.0.0/8 , 1.2.3.4/33 ", "1.2.3.4/33"),
            ("nonsense", "nonsense"),
        ]
    )
    func listInvalid(text: String, entry: String) {
        #expect(throws: IPAddressRange.InvalidEntry(entry: entry)) { try IPAddressRange.list(text).get() }
    }

    @Test("Address bytes: 4 for IPv4, 16 for IPv6, nil otherwise")
    func bytes() {
        #expect(IPAddressRange.bytes(of: "203.0.113.9") == [203, 0, 113, 9])
        #expect(IPAddressRange.bytes(of: "::1") == Array(repeating: 0, count: 15) + [1])
        #expect(IPAddressRange.bytes(of: "::ffff:1.2.3.4") == Array(repeating: 0, count: 10) + [0xFF, 0xFF, 1, 2, 3, 4])
        #expect(IPAddressRange.bytes(of: "1.2.3.4 ") == nil)
        #expect(IPAddressRange.bytes(of: "") == nil)
    }
}
