import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import EngineIO

/// A websocket stand-in: counts notifications, takes frames only when asked.
final class RecordingStream: OutboundFrameStream {
    let notifications = Atomic<Int>(0)

    func framesAvailable() {
        self.notifications.add(1, ordering: .relaxed)
    }
}

func makeSession(maxQueuedFrames: Int = 1024, configuration: EngineIOConfiguration = .init(), eventLoop: EmbeddedEventLoop = EmbeddedEventLoop(), query: [String: String] = [:]) -> EngineIOSession {
    var configuration = configuration
    configuration.maxQueuedFrames = maxQueuedFrames
    let request = EngineIOConnectionRequest(path: "/socket.io/", query: query, headers: [:], remoteAddress: nil, transport: .websocket)
    return EngineIOSession(
        id: "test",
        request: request,
        endpoint: SessionEndpoint(configuration: configuration, logger: Logger(label: "test")),
        taskExecutor: EventLoopTaskExecutor.shared(for: eventLoop),
        heartbeats: HeartbeatScheduler(eventLoop: eventLoop, configuration: configuration)
    )
}

@Suite("Streaming transport (websocket) side of a session")
struct StreamingSessionTests {
    @Test("The stream is told once about waiting frames, then takes them all in order")
    func notifiedOnceUntilTaken() {
        let session = makeSession()
        let stream = RecordingStream()
        session.attach(stream: stream)
        #expect(stream.notifications.load(ordering: .relaxed) == 0)
        for index in 0..<5 { session.send(.text(buffer("4m\(index)"))) }
        #expect(stream.notifications.load(ordering: .relaxed) == 1)
        let taken = session.takeStreamBatch()
        #expect(taken.items.flatMap(\.frames).map(frameString) == (0..<5).map { "4m\($0)" })
        #expect(!taken.finished)
        session.send(.text(buffer("4next")))
        #expect(stream.notifications.load(ordering: .relaxed) == 2)
    }

    @Test("A stream that stops taking frames lets the bounded queue overflow and close the session")
    func overflowClosesSession() {
        let session = makeSession(maxQueuedFrames: 8)
        session.attach(stream: RecordingStream())
        for _ in 0..<8 { #expect(session.send(.text(buffer("4x")))) }
        #expect(!session.send(.text(buffer("4overflow"))))
        #expect(!session.isOpen)
        let taken = session.takeStreamBatch()
        #expect(taken.items.isEmpty, "an overflowing session drops what it could not deliver")
        #expect(taken.finished)
    }

    @Test("A server close delivers what is queued, then reports the stream finished")
    func serverCloseFlushesThenFinishes() {
        let session = makeSession()
        let stream = RecordingStream()
        session.attach(stream: stream)
        session.send(.text(buffer("4last")))
        session.close()
        let taken = session.takeStreamBatch()
        #expect(taken.items.flatMap(\.frames).map(frameString) == ["4last"])
        #expect(taken.finished)
    }

    @Test("Frames queued before the stream attaches are announced when it does")
    func attachAnnouncesWaitingFrames() {
        let session = makeSession()
        session.send(.text(buffer("4early")))
        let stream = RecordingStream()
        session.attach(stream: stream)
        #expect(stream.notifications.load(ordering: .relaxed) == 1)
        #expect(session.takeStreamBatch().items.flatMap(\.frames).map(frameString) == ["4early"])
    }

    @Test("Shared frames are queued as one entry for a stream and count each frame against the limit")
    func sharedFramesOnAStream() {
        let session = makeSession(maxQueuedFrames: 3)
        session.attach(stream: RecordingStream())
        let shared = EngineIOSharedFrames([.message("a"), .message("b")])
        #expect(session.send(shared))
        let taken = session.takeStreamBatch()
        #expect(taken.items.count == 1)
        guard case .shared(let item)? = taken.items.first else {
            Issue.record("expected the shared frames as one item")
            return
        }
        #expect(item === shared)
        #expect(session.send(.text(buffer("4c"))))
        #expect(session.send(.text(buffer("4d"))))
        #expect(!session.send(shared), "2 + 2 frames would exceed the limit of 3")
        #expect(!session.isOpen)
    }

    @Test("A polling session takes shared frames as frames, in queue order")
    func sharedFramesOnPolling() {
        var state = SessionState(transport: .polling)
        state.append(.frame(.message("first")))
        state.append(.shared(EngineIOSharedFrames([.message("a"), .message("b")])))
        #expect(state.queuedFrames == 3)
        guard case .frames(let frames)? = state.takeBatch() else {
            Issue.record("expected frames")
            return
        }
        #expect(frames.map(frameString) == ["4first", "4a", "4b"])
        #expect(state.queuedFrames == 0)
    }
}
