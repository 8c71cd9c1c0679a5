import EngineIO
import HTTPTypes
import NIOCore
import SocketIO

/// A Socket.IO client driven in-process through an Engine.IO session of a server's endpoint
/// (no HTTP), for this package's tests: what it sends is what a client's packets would be,
/// what it reads is what the server would write to it.
public struct InProcessClient: Sendable {
    public let session: EngineIOSession

    /// Opens a session on `engine` and sends CONNECT for `namespace` with `auth` (JSON, or
    /// empty for none); the client and the first packet the server answers (`40{…}` or `44{…}`).
    public static func connect(to engine: EngineIOServer, namespace: String = "/", auth: String = "") async -> (InProcessClient, String) {
        let request = EngineIOConnectionRequest(path: engine.configuration.path, query: [:], headers: [:], remoteAddress: nil, transport: .websocket)
        let client = InProcessClient(session: engine.openInProcessSession(request))
        client.send((namespace == "/" ? "0" : "0\(namespace),") + auth)
        let answer = await client.texts(count: 1)
        return (client, answer.first ?? "")
    }

    /// Sends one Socket.IO packet (`2["event"]`: no Engine.IO prefix, as the session's
    /// message it is). What the server writes back comes as Engine.IO frames (`42["event"]`).
    public func send(_ packet: String) {
        self.session.receiveInProcess(.message(.text(packet)))
    }

    /// The next `count` text frames the server writes, waiting at most `limit`.
    public func texts(count: Int, within limit: Duration = .seconds(5)) async -> [String] {
        var texts: [String] = []
        let deadline = ContinuousClock.now + limit
        while texts.count < count, ContinuousClock.now < deadline {
            let batches = await withTaskGroup(of: [String]?.self) { group in
                group.addTask {
                    await self.session.nextFrames()?.compactMap { frame in
                        guard case .text(let buffer) = frame else { return nil }
                        return String(buffer: buffer)
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(200))
                    return nil
                }
                var batches: [[String]] = []
                if let first = await group.next(), let first { batches.append(first) }
                group.cancelAll()
                // The other result too: a batch handed over just as the sleep ended is not dropped.
                for await result in group { if let result { batches.append(result) } }
                return batches
            }
            texts += batches.joined()
        }
        return texts
    }

    /// Sends `events`, then a `done` event asking for acknowledgement 99, and waits for that
    /// acknowledgement: every event sent before it has been handled by then (the server must
    /// acknowledge `done`). Everything written meanwhile; empty when `done` was not acknowledged.
    public func sendAndSettle(_ events: [String]) async -> [String] {
        for event in events { self.send(event) }
        self.send(#"299["done"]"#)
        var written: [String] = []
        for _ in 0..<20 where !written.contains(where: { $0.hasPrefix("4399") }) {
            written += await self.texts(count: 1, within: .milliseconds(500))
        }
        return written.contains { $0.hasPrefix("4399") } ? written : []
    }
}
