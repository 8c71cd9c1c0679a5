import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SocketIO
import Synchronization
import Testing

@Suite("The README's library example")
struct ReadmeExampleTests {
    /// The example's lines as the README shows them (its address aside).
    static func exampleLines() throws -> [String] {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ReadmeExample.swift"), encoding: .utf8)
        let body = try #require(source.firstRange(of: "// README begin\n").flatMap { begin in
            source.firstRange(of: "    // README end").map { source[begin.upperBound..<$0.lowerBound] }
        })
        return body.split(separator: "\n").map { line in
            String(line.dropFirst(4)).replacingOccurrences(of: ", configuration: .init(address: address))", with: ")")
        }
    }

    @Test("The README shows the example exactly, in order")
    func readmeShowsIt() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md").standardizedFileURL, encoding: .utf8)
        let section = try #require(readme.firstRange(of: "## Using the Socket.IO library on its own").map { readme[$0.upperBound...] })
        var rest = section[...]
        for line in try Self.exampleLines() {
            let found = try #require(rest.firstRange(of: line), "README lacks, or misorders: \(line)")
            rest = rest[found.upperBound...]
        }
    }

    @Test("The example serves a chat: a client without a token is refused, one with a token gets its message back and the ack")
    func chatWorks() async throws {
        let port = try await TestServer.freePort()
        let (app, io) = readmeChatServer(address: .hostname("127.0.0.1", port: port))
        let served = try await TestServer.run(app, io, port: port) { port in
            let base = "http://127.0.0.1:\(port)/socket.io/?EIO=4&transport=polling"
            let sid = try await PollingClient.open(base)
            try await PollingClient.post(base, sid: sid, "40")
            #expect(try await PollingClient.poll(base, sid: sid).hasPrefix(#"44{"message":"unauthorized""#))

            let other = try await PollingClient.open(base)
            try await PollingClient.post(base, sid: other, #"40{"token":"t"}"#)
            #expect(try await PollingClient.poll(base, sid: other).hasPrefix("40{"))
            try await PollingClient.post(base, sid: other, #"421["chat","hello"]"#)
            // The broadcast is queued before the ack: a poll may return between the two.
            var answers = try await PollingClient.poll(base, sid: other)
            if !answers.contains(#"431["delivered"]"#) { answers += "\u{1E}" + (try await PollingClient.poll(base, sid: other)) }
            #expect(answers.contains(#"42["chat","hello"]"#))
            #expect(answers.contains(#"431["delivered"]"#))
            return port
        }
        #expect(served == port)
    }
}
