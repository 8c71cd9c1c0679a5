import Foundation
import Testing

@testable import PayNotifyServer

@Suite("Operator dashboard access: the admin token and signed sessions")
struct AdminAccessTests {
    let access = AdminAccess(token: "admin-token-0123456789", sessionLifetime: .seconds(3600))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("Only the exact token is accepted")
    func token() {
        #expect(self.access.accepts(token: "admin-token-0123456789"))
        for wrong in ["", "admin-token-012345678", "admin-token-01234567890", "ADMIN-TOKEN-0123456789", "admin-token-0123456788"] {
            #expect(!self.access.accepts(token: wrong), "accepted \(wrong)")
        }
    }

    @Test("A session it issued verifies until its lifetime ends, then is expired")
    func lifetime() throws {
        let (session, expiresAt) = self.access.issueSession(now: self.now)
        #expect(expiresAt == self.now.addingTimeInterval(3600))
        #expect(try self.access.verifySession(session, now: self.now) == expiresAt)
        #expect(try self.access.verifySession(session, now: self.now.addingTimeInterval(3599)) == self.now.addingTimeInterval(3600))
        #expect(throws: AdminSessionError.expired(at: self.now.addingTimeInterval(3600))) {
            try self.access.verifySession(session, now: self.now.addingTimeInterval(3600))
        }
    }

    @Test("Sessions are unique, and another token's sessions do not verify")
    func otherToken() throws {
        let session = self.access.issueSession(now: self.now).value
        #expect(session != self.access.issueSession(now: self.now).value)
        let other = AdminAccess(token: "another-token-0123456789")
        #expect(throws: AdminSessionError.badSignature) { try other.verifySession(session, now: self.now) }
        // The same token on another node: the same key.
        #expect(throws: Never.self) { try AdminAccess(token: "admin-token-0123456789").verifySession(session, now: self.now) }
    }

    @Test("A changed expiry or nonce breaks the signature")
    func tampered() throws {
        let parts = self.access.issueSession(now: self.now).value.split(separator: ".").map(String.init)
        let later = [parts[0], String(Int64(parts[1])! + 86_400), parts[2], parts[3]].joined(separator: ".")
        #expect(throws: AdminSessionError.badSignature) { try self.access.verifySession(later, now: self.now) }
        let otherNonce = [parts[0], parts[1], "AAAAAAAAAAAAAAAAAAAAAA", parts[3]].joined(separator: ".")
        #expect(throws: AdminSessionError.badSignature) { try self.access.verifySession(otherNonce, now: self.now) }
    }

    @Test("What is not a session is malformed", arguments: ["", "v1", "v1.1.2", "v2.1800003600.abc.def", "v1.soon.abc.def", "v1.1.abc.***", "a.b.c.d.e"])
    func malformed(value: String) {
        #expect(throws: AdminSessionError.malformed) { try self.access.verifySession(value, now: self.now) }
    }
}
