import NIOCore
import Testing

@testable import EngineIO

@Suite("Session outbound queue")
struct SessionStateTests {
    @Test("An open session with nothing queued has no batch")
    func emptyQueueHasNoBatch() {
        var state = SessionState(transport: .polling)
        #expect(state.isOpen)
        #expect(state.takeBatch() == nil)
    }

    @Test("A batch takes every queued frame, in order, and empties the queue")
    func batchTakesQueueInOrder() {
        var state = SessionState(transport: .polling)
        state.append(contentsOf: [.message("a"), .message("b"), .binary(buffer([1]))])
        #expect(state.takeBatch() == .frames([.message("a"), .message("b"), .binary(buffer([1]))]))
        #expect(state.queue.isEmpty)
        #expect(state.takeBatch() == nil)
    }

    @Test("A pending noop ends the batch, after the queued frames, once")
    func pendingNoopComesLast() {
        var state = SessionState(transport: .polling)
        state.append(.frame(.message("a")))
        state.pendingNoop = true
        #expect(state.takeBatch() == .frames([.message("a"), EngineIOPacket.noop.frame]))
        #expect(!state.pendingNoop)
        #expect(state.takeBatch() == nil)
    }

    @Test("While a websocket probes, every poll is ended with noop, not only the first")
    func everyPollEndedWhileProbing() {
        var state = SessionState(transport: .polling)
        state.upgrade = .probing
        state.pendingNoop = true
        #expect(state.takeBatch() == .frames([EngineIOPacket.noop.frame]))
        state.append(.frame(.message("a")))
        #expect(state.takeBatch() == .frames([.message("a"), EngineIOPacket.noop.frame]), "a poll the client sent before reading 3probe")
        #expect(state.takeBatch() == .frames([EngineIOPacket.noop.frame]))
        state.upgrade = .upgraded
        state.pendingNoop = false
        #expect(state.takeBatch() == nil)
    }

    @Test("A draining session flushes its queue plus the final frame, then is closed")
    func drainingFlushesThenCloses() {
        var state = SessionState(transport: .polling)
        state.append(.frame(.message("last")))
        state.lifecycle = .draining(finalFrame: EngineIOPacket.close.frame)
        #expect(state.takeBatch() == .frames([.message("last"), EngineIOPacket.close.frame]))
        #expect(state.isClosed)
        #expect(state.takeBatch() == .closed)
    }

    @Test("A draining session with nothing to write reports closed")
    func drainingWithNothingLeft() {
        var state = SessionState(transport: .websocket)
        state.lifecycle = .draining(finalFrame: nil)
        #expect(state.takeBatch() == .closed)
        #expect(state.isClosed)
    }
}

extension OutboundBatch: Equatable {
    public static func == (lhs: OutboundBatch, rhs: OutboundBatch) -> Bool {
        switch (lhs, rhs) {
        case (.frames(let a), .frames(let b)): a == b
        case (.closed, .closed): true
        default: false
        }
    }
}
