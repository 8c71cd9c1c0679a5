import EngineIO
import HTTPTypes
import NIOCore
import Testing

@testable import PayNotifyServer

@Suite("Connections per address")
struct ConnectionsPerAddressLimitTests {
    private func request(from ip: String, forwardedFor: String? = nil) throws -> EngineIOConnectionRequest {
        var headers = HTTPFields()
        if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        return EngineIOConnectionRequest(
            path: "/socket.io/",
            query: ["EIO": "4", "transport": "polling"],
            headers: headers,
            remoteAddress: try SocketAddress(ipAddress: ip, port: 40_000),
            transport: .polling
        )
    }

    /// Admits `request`, returning its release, or records an issue.
    private func admitted(_ limit: ConnectionsPerAddressLimit, _ request: EngineIOConnectionRequest, sourceLocation: SourceLocation = #_sourceLocation) -> (@Sendable () -> Void)? {
        switch limit.admit(request) {
        case .admitted(let release): return release
        case .refused(let error):
            Issue.record("refused: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The error `request` is refused with, or nil (and an issue) when admitted.
    private func refusal(_ limit: ConnectionsPerAddressLimit, _ request: EngineIOConnectionRequest, sourceLocation: SourceLocation = #_sourceLocation) -> EngineIORequestError? {
        switch limit.admit(request) {
        case .admitted(let release):
            Issue.record("admitted", sourceLocation: sourceLocation)
            release()
            return nil
        case .refused(let error): return error
        }
    }

    @Test("Up to the maximum connections per address are admitted; the next is refused as forbidden", arguments: [1, 2, 5])
    func limit(maximum: Int) throws {
        let limit = ConnectionsPerAddressLimit(maximum: maximum, addresses: ClientAddressResolver(trustedProxies: []))
        for _ in 0..<maximum {
            #expect(self.admitted(limit, try self.request(from: "203.0.113.9")) != nil)
        }
        let error = try #require(self.refusal(limit, try self.request(from: "203.0.113.9")))
        #expect(error.code == .forbidden)
        #expect(error.status == .forbidden)
        #expect(error.detail?.contains("203.0.113.9") == true)
        #expect(error.detail?.contains("\(maximum)") == true)
    }

    @Test("Releasing a connection frees its slot")
    func release() throws {
        let limit = ConnectionsPerAddressLimit(maximum: 2, addresses: ClientAddressResolver(trustedProxies: []))
        let first = try #require(self.admitted(limit, try self.request(from: "203.0.113.9")))
        let second = try #require(self.admitted(limit, try self.request(from: "203.0.113.9")))
        #expect(self.refusal(limit, try self.request(from: "203.0.113.9")) != nil)
        first()
        let third = try #require(self.admitted(limit, try self.request(from: "203.0.113.9")))
        #expect(self.refusal(limit, try self.request(from: "203.0.113.9")) != nil)
        second()
        third()
        // Everything released: the full allowance is back.
        #expect(self.admitted(limit, try self.request(from: "203.0.113.9")) != nil)
        #expect(self.admitted(limit, try self.request(from: "203.0.113.9")) != nil)
        #expect(self.refusal(limit, try self.request(from: "203.0.113.9")) != nil)
    }

    @Test("Each address has its own allowance")
    func separateAddresses() throws {
        let limit = ConnectionsPerAddressLimit(maximum: 1, addresses: ClientAddressResolver(trustedProxies: []))
        #expect(self.admitted(limit, try self.request(from: "203.0.113.9")) != nil)
        #expect(self.admitted(limit, try self.request(from: "203.0.113.10")) != nil)
        #expect(self.admitted(limit, try self.request(from: "2001:db8::1")) != nil)
        #expect(self.refusal(limit, try self.request(from: "203.0.113.9")) != nil)
        #expect(self.refusal(limit, try self.request(from: "203.0.113.10")) != nil)
    }

    @Test("Behind a trusted proxy, clients are counted by their forwarded address, not the proxy's")
    func behindTrustedProxy() throws {
        let limit = ConnectionsPerAddressLimit(maximum: 1, addresses: ClientAddressResolver(trustedProxies: [IPAddressRange("10.0.0.0/8")!]))
        #expect(self.admitted(limit, try self.request(from: "10.0.0.2", forwardedFor: "203.0.113.9")) != nil)
        #expect(self.admitted(limit, try self.request(from: "10.0.0.2", forwardedFor: "203.0.113.10")) != nil)
        let error = try #require(self.refusal(limit, try self.request(from: "10.0.0.3", forwardedFor: "203.0.113.9")))
        #expect(error.detail?.contains("203.0.113.9") == true)
    }

    @Test("An untrusted peer cannot escape the limit by claiming other addresses")
    func spoofedForwardedFor() throws {
        let limit = ConnectionsPerAddressLimit(maximum: 1, addresses: ClientAddressResolver(trustedProxies: [IPAddressRange("10.0.0.0/8")!]))
        #expect(self.admitted(limit, try self.request(from: "198.51.100.7", forwardedFor: "203.0.113.1")) != nil)
        #expect(self.refusal(limit, try self.request(from: "198.51.100.7", forwardedFor: "203.0.113.2")) != nil)
    }
}
