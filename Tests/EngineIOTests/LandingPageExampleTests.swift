import EngineIO
import Foundation
import HTTPTypes
import Testing

// Landing page begin
struct Echo: EngineIOSessionDelegate {
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {
        session.send(EngineIOPacket.message(message).frame)
    }

    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {}
}
// Landing page end

@Suite("The DocC landing page's example")
struct LandingPageExampleTests {
    @Test("EngineIO.docc/EngineIO.md shows the example's delegate exactly, in order")
    func landingPageShowsIt() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let source = try String(contentsOf: here.appendingPathComponent("LandingPageExampleTests.swift"), encoding: .utf8)
        let example = try #require(source.firstRange(of: "// Landing page begin\n").flatMap { begin in
            source.firstRange(of: "// Landing page end").map { source[begin.upperBound..<$0.lowerBound] }
        })
        let page = try String(contentsOf: here.appendingPathComponent("../../Sources/EngineIO/EngineIO.docc/EngineIO.md").standardizedFileURL, encoding: .utf8)
        #expect(page.contains(example))
    }

    @Test("The example's endpoint echoes a message")
    func echoes() async throws {
        let engine = EngineIOServer(configuration: EngineIOConfiguration(path: "/engine.io/")) { _ in Echo() }
        let session = engine.openInProcessSession(
            EngineIOConnectionRequest(path: "/engine.io/", query: [:], headers: HTTPFields(), remoteAddress: nil, transport: .polling)
        )
        session.receiveInProcess(.message(.text("hello")))
        #expect(await session.nextFrames() == [.message("hello")])
        session.close()
        engine.close()
    }
}
