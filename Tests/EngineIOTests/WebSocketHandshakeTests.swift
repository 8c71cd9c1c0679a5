import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import EngineIO

private func head(_ lines: [String]) -> ByteBuffer {
    ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n\r\n")
}

private let upgradeLines = [
    "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
    "Host: 127.0.0.1:3000",
    "Connection: keep-alive, Upgrade",
    "Upgrade: WebSocket",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
]

@Suite("Websocket opening handshake, read from a connection's first bytes")
struct WebSocketHandshakeTests {
    @Test("An upgrade is recognised with its target, headers and key; the head's length excludes what follows")
    func upgrade() throws {
        var bytes = head(upgradeLines)
        let headLength = bytes.readableBytes
        bytes.writeString("\u{81}")
        guard case .upgrade(let upgrade, let length) = WebSocketHandshake.firstRequest(in: bytes.readableBytesView, maximumHeadBytes: 8192) else {
            Issue.record("expected an upgrade")
            return
        }
        #expect(length == headLength)
        #expect(upgrade.target == "/socket.io/?EIO=4&transport=websocket")
        #expect(upgrade.key == "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(upgrade.headers[HTTPField.Name("Host")!] == "127.0.0.1:3000")
        #expect(upgrade.headers.count == 5)
    }

    @Test("The accept value is RFC 6455's example")
    func acceptValue() {
        let response = String(buffer: WebSocketHandshake.switchingProtocols(key: "dGhlIHNhbXBsZSBub25jZQ==", allocator: ByteBufferAllocator()))
        #expect(response.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        #expect(response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        #expect(response.hasSuffix("\r\n\r\n"))
    }

    @Test("A head split across reads is incomplete until its blank line")
    func incomplete() {
        let partial = ByteBuffer(string: upgradeLines.prefix(3).joined(separator: "\r\n"))
        #expect(WebSocketHandshake.firstRequest(in: partial.readableBytesView, maximumHeadBytes: 8192) == .incomplete)
    }

    @Test("Requests that are not websocket upgrades go to the HTTP pipeline")
    func plainHTTP() {
        for lines in [
            ["GET /healthz HTTP/1.1", "Host: x"],
            ["POST /webhook/payment HTTP/1.1", "Content-Length: 2"],
            ["GET /socket.io/ HTTP/1.1", "Upgrade: h2c", "Connection: Upgrade"],
            ["GET / HTTP/1.1", "Folded: a", " continued"],
        ] {
            #expect(WebSocketHandshake.firstRequest(in: head(lines).readableBytesView, maximumHeadBytes: 8192) == .http, "\(lines)")
        }
        let endless = ByteBuffer(string: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 200))
        #expect(WebSocketHandshake.firstRequest(in: endless.readableBytesView, maximumHeadBytes: 100) == .http, "over the limit: the HTTP pipeline refuses it")
    }

    @Test("Websocket upgrades that are not well formed are refused", arguments: [
        ("POST", nil as String?, nil as String?),
        ("GET", "Sec-WebSocket-Version: 8", nil),
        ("GET", "Sec-WebSocket-Key: ", nil),
        ("GET", "Connection: keep-alive", nil),
        ("GET", "Sec-WebSocket-Key: second", "duplicate key"),
    ])
    func invalidUpgrades(method: String, replacement: String?, note: String?) {
        var lines = upgradeLines
        lines[0] = lines[0].replacingOccurrences(of: "GET", with: method)
        if let replacement {
            let name = replacement.prefix { $0 != ":" }
            if note == "duplicate key" {
                lines.append(replacement)
            } else {
                lines.removeAll { $0.hasPrefix(name) }
                lines.append(replacement)
            }
        }
        #expect(WebSocketHandshake.firstRequest(in: head(lines).readableBytesView, maximumHeadBytes: 8192) == .invalidUpgrade(target: "/socket.io/?EIO=4&transport=websocket"), "\(lines)")
    }

    @Test("HTTP/1.0 upgrades are refused")
    func http10() {
        var lines = upgradeLines
        lines[0] = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.0"
        #expect(WebSocketHandshake.firstRequest(in: head(lines).readableBytesView, maximumHeadBytes: 8192) == .invalidUpgrade(target: "/socket.io/?EIO=4&transport=websocket"))
    }
}

@Suite("Handshake request kept with a session")
struct EngineIOConnectionRequestTests {
    @Test("Headers read back exactly: order, repeated names, colons and spaces in values")
    func headersRoundTrip() throws {
        var headers = HTTPFields()
        headers.append(HTTPField(name: HTTPField.Name("Host")!, value: "127.0.0.1:3000"))
        headers.append(HTTPField(name: .cookie, value: "a=1"))
        headers.append(HTTPField(name: .cookie, value: "b=2"))
        headers.append(HTTPField(name: HTTPField.Name("X-Trace")!, value: "  spaced: value  "))
        headers.append(HTTPField(name: .authorization, value: ""))
        let request = EngineIOConnectionRequest(path: "/socket.io/", query: [:], headers: headers, remoteAddress: nil, transport: .websocket)
        #expect(request.headers == headers)
        #expect(request.headers[values: .cookie] == ["a=1", "b=2"])
    }
}
