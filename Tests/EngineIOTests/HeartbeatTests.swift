import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import EngineIO

/// Records why its session closed.
private final class CloseRecorder: EngineIOSessionDelegate {
    let reason = Mutex<EngineIOCloseReason?>(nil)
    func session(_ session: EngineIOSession, didReceive message: EngineIOMessage) {}
    func session(_ session: EngineIOSession, didCloseWith reason: EngineIOCloseReason) {
        self.reason.withLock { $0 = reason }
    }
}

@Suite("Heartbeat")
struct HeartbeatTests {
    private static let configuration = EngineIOConfiguration(pingInterval: .milliseconds(1000), pingTimeout: .milliseconds(500))

    private func queuedTexts(_ session: EngineIOSession) -> [String] {
        session.takeStreamBatch().items.flatMap(\.frames).map(frameString)
    }

    @Test("A ping goes out every pingInterval once the previous one is answered, at most a tick early")
    func pingsAfterEachPong() {
        let loop = EmbeddedEventLoop()
        let session = makeSession(configuration: Self.configuration, eventLoop: loop)
        session.attach(stream: RecordingStream())
        session.startHeartbeat()
        loop.advanceTime(by: .milliseconds(850))
        #expect(self.queuedTexts(session).isEmpty, "nothing more than a tick (50 ms) before pingInterval")
        loop.advanceTime(by: .milliseconds(150))
        #expect(self.queuedTexts(session) == ["2"], "by pingInterval")
        session.receive(.pong(""))
        loop.advanceTime(by: .milliseconds(850))
        #expect(self.queuedTexts(session).isEmpty, "the interval starts again at the pong")
        loop.advanceTime(by: .milliseconds(150))
        #expect(self.queuedTexts(session) == ["2"])
        #expect(session.isOpen)
        session.close()
    }

    @Test("No pong: the session is closed with pingTimeout by pingInterval + pingTimeout, not before a tick earlier")
    func missingPongCloses() {
        let loop = EmbeddedEventLoop()
        let session = makeSession(configuration: Self.configuration, eventLoop: loop)
        let recorder = CloseRecorder()
        session.attach(recorder)
        session.attach(stream: RecordingStream())
        session.startHeartbeat()
        loop.advanceTime(by: .milliseconds(1000))
        #expect(self.queuedTexts(session) == ["2"])
        loop.advanceTime(by: .milliseconds(350))
        #expect(session.isOpen, "still more than a tick within pingTimeout")
        loop.advanceTime(by: .milliseconds(150))
        #expect(!session.isOpen, "closed by pingInterval + pingTimeout")
        #expect(recorder.reason.withLock { $0 } == .pingTimeout)
    }

    @Test("Engine.IO 3: the server never pings, answers the client's pings, and each ping buys pingInterval + pingTimeout")
    func engineIO3ClientPings() {
        let loop = EmbeddedEventLoop()
        let session = makeSession(configuration: Self.configuration, eventLoop: loop, query: ["EIO": "3"])
        let recorder = CloseRecorder()
        session.attach(recorder)
        session.attach(stream: RecordingStream())
        session.startHeartbeat()
        loop.advanceTime(by: .milliseconds(1200))
        #expect(self.queuedTexts(session).isEmpty, "no server ping in Engine.IO 3")
        session.receive(.ping(""))
        #expect(self.queuedTexts(session) == ["3"], "the ping is answered")
        loop.advanceTime(by: .milliseconds(1300))
        #expect(session.isOpen, "1.3 s after the ping, within pingInterval + pingTimeout less a tick")
        loop.advanceTime(by: .milliseconds(200))
        #expect(!session.isOpen, "closed by pingInterval + pingTimeout after the last ping")
        #expect(recorder.reason.withLock { $0 } == .pingTimeout)
    }

    @Test("Engine.IO 3: a client that never pings is closed by pingInterval + pingTimeout")
    func engineIO3SilentClientCloses() {
        let loop = EmbeddedEventLoop()
        let session = makeSession(configuration: Self.configuration, eventLoop: loop, query: ["EIO": "3"])
        session.attach(stream: RecordingStream())
        session.startHeartbeat()
        loop.advanceTime(by: .milliseconds(1400))
        #expect(session.isOpen)
        loop.advanceTime(by: .milliseconds(100))
        #expect(!session.isOpen)
    }

    @Test("Engine.IO 3: a pong from the client is the wrong heartbeat direction and closes the session")
    func engineIO3PongCloses() {
        let session = makeSession(configuration: Self.configuration, query: ["EIO": "3"])
        let recorder = CloseRecorder()
        session.attach(recorder)
        session.startHeartbeat()
        session.receive(.pong(""))
        #expect(recorder.reason.withLock { $0 } == .transportError("invalid heartbeat direction"))
    }

    @Test("A closed session is no longer checked, and the loop's timer stops with the last one")
    func closedSessionsLeave() {
        let loop = EmbeddedEventLoop()
        let session = makeSession(configuration: Self.configuration, eventLoop: loop)
        session.attach(stream: RecordingStream())
        session.startHeartbeat()
        session.close()
        loop.advanceTime(by: .seconds(5))
        #expect(self.queuedTexts(session).isEmpty)
    }
}
