import HTTPTypes
import NIOCore
import SocketIO
import Testing

@testable import EngineIO

/// A Socket.IO client driven in-process through an Engine.IO session of the server's endpoint
/// (no HTTP): what it sends is what a client's packets would be, what it reads is what the
/// server would write to it.
struct InProcessClient {
    let session: EngineIOSession

    /// Opens a session and connects to `namespace`; the client and the server's CONNECT answer.
    static func connect(to io: SocketIOServer, namespace: String = "/") async -> (InProcessClient, String) {
        let request = EngineIOConnectionRequest(path: "/socket.io/", query: [:], headers: [:], remoteAddress: nil, transport: .websocket)
        let session = io.engine.makeSession(for: request, release: nil)
        io.engine.start(session)
        let client = InProcessClient(session: session)
        client.send(namespace == "/" ? "0" : "0\(namespace),")
        let answer = await client.texts(count: 1)
        return (client, answer.first ?? "")
    }

    /// Sends one Socket.IO packet (`2["event"]`: no Engine.IO prefix, as the session's
    /// message it is). What the server writes back comes as Engine.IO frames (`42["event"]`).
    func send(_ packet: String) {
        self.session.receive(.message(.text(packet)))
    }

    /// The next `count` text packets the server writes, waiting at most `limit`.
    func texts(count: Int, within limit: Duration = .seconds(5)) async -> [String] {
        var texts: [String] = []
        let deadline = ContinuousClock.now + limit
        while texts.count < count, ContinuousClock.now < deadline {
            let batches = await withTaskGroup(of: OutboundBatch?.self) { group in
                group.addTask { await self.session.nextBatch() }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(200))
                    return nil
                }
                var batches: [OutboundBatch] = []
                if let first = await group.next(), let first { batches.append(first) }
                group.cancelAll()
                // The other result too: a batch handed over just as the sleep ended is not dropped.
                for await result in group { if let result { batches.append(result) } }
                return batches
            }
            for case .frames(let frames) in batches {
                for case .text(let buffer) in frames { texts.append(String(buffer: buffer)) }
            }
        }
        return texts
    }

    /// Sends `events`, then a `done` event asking for acknowledgement 99, and waits for that
    /// acknowledgement: every event sent before it has been handled by then.
    func sendAndSettle(_ events: [String]) async -> [String] {
        for event in events { self.send(event) }
        self.send(#"299["done"]"#)
        var written: [String] = []
        for _ in 0..<20 where !written.contains(where: { $0.hasPrefix("4399") }) {
            written += await self.texts(count: 1, within: .milliseconds(500))
        }
        #expect(written.contains { $0.hasPrefix("4399") }, "the done event was not acknowledged")
        return written
    }
}
