import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import EngineIO

@Suite("Polling while a websocket probes")
struct UpgradeProbeTests {
    private func pollingSession(on eventLoop: EmbeddedEventLoop) -> EngineIOSession {
        let configuration = EngineIOConfiguration()
        return EngineIOSession(
            id: "probing",
            request: EngineIOConnectionRequest(path: "/socket.io/", query: [:], headers: [:], remoteAddress: nil, transport: .polling),
            endpoint: SessionEndpoint(configuration: configuration, logger: Logger(label: "test")),
            taskExecutor: EventLoopTaskExecutor.shared(for: eventLoop),
            heartbeats: HeartbeatScheduler(eventLoop: eventLoop, configuration: configuration)
        )
    }

    @Test("A poll ends with what is sent within 100 ms of 3probe, without noop; from then on every poll ends with noop")
    func noopAfterGrace() {
        let eventLoop = EmbeddedEventLoop()
        let session = self.pollingSession(on: eventLoop)
        #expect(session.beginUpgrade())
        #expect(session.probeAnswered())
        #expect(session.state.withLock { $0.takeBatch() } == nil, "nothing to end a poll with yet")
        session.send(.message("30[null]"))
        #expect(session.state.withLock { $0.takeBatch() } == .frames([.message("30[null]")]))
        eventLoop.advanceTime(by: .milliseconds(99))
        #expect(session.state.withLock { $0.takeBatch() } == nil)
        eventLoop.advanceTime(by: .milliseconds(1))
        #expect(session.state.withLock { $0.takeBatch() } == .frames([EngineIOPacket.noop.frame]))
        #expect(session.state.withLock { $0.takeBatch() } == .frames([EngineIOPacket.noop.frame]), "a poll the client sent before reading 3probe")
    }

    @Test("A probe given up before 100 ms leaves polling as it was")
    func abortedProbe() {
        let eventLoop = EmbeddedEventLoop()
        let session = self.pollingSession(on: eventLoop)
        #expect(session.beginUpgrade())
        #expect(session.probeAnswered())
        session.abortUpgrade()
        eventLoop.advanceTime(by: .milliseconds(100))
        #expect(session.state.withLock { $0.takeBatch() } == nil)
    }

    @Test("A websocket has the upgrade from the moment it connects: a second one is refused, even before the first has sent 2probe, until the first gives up")
    func oneUpgradingWebSocket() {
        let session = self.pollingSession(on: EmbeddedEventLoop())
        #expect(session.beginUpgrade())
        #expect(!session.beginUpgrade())
        session.abortUpgrade()
        #expect(session.beginUpgrade())
    }

    @Test("3probe is answered only on a websocket that has the upgrade")
    func probeNeedsTheUpgrade() {
        let session = self.pollingSession(on: EmbeddedEventLoop())
        #expect(!session.probeAnswered())
    }
}
