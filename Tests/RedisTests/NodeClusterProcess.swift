import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OrderedCollections

import SocketIO
@testable import SocketIORedisAdapter

/// A real Node socket.io 4.8 node on the real `@socket.io/redis-adapter`
/// (`Tests/NodeCluster/cluster-node.cjs`), driven over HTTP: each `control` call runs one cluster
/// operation on it, or on an official socket.io-client it holds. `scripts/test` builds the Node
/// packages (`scripts/build-node-cluster`) and sets `NODE_CLUSTER_NODE_PATH` to their
/// `NODE_PATH`; without it the tests that need a Node node are skipped.
final class NodeClusterProcess: @unchecked Sendable {
    static let nodePath = ProcessInfo.processInfo.environment["NODE_CLUSTER_NODE_PATH"].flatMap { $0.isEmpty ? nil : $0 }
    static let node = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { nodePath != nil && node != nil }
    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("NodeCluster/cluster-node.cjs")

    let name: String
    let port: Int
    private let process = Process()

    /// - Parameter subscriptionMode: The sharded adapter in this mode (`dynamic`, …); nil for
    ///   the classic adapter.
    init(name: String, redisURL: String, subscriptionMode: String? = nil, requestsTimeout: Duration = .seconds(2)) throws {
        self.name = name
        self.port = try RedisServerProcess.freePort()
        self.process.executableURL = URL(fileURLWithPath: Self.node!)
        self.process.arguments = [Self.script.path]
        var environment = ProcessInfo.processInfo.environment
        environment["NODE_PATH"] = Self.nodePath
        environment["PORT"] = String(self.port)
        environment["REDIS_URL"] = redisURL
        environment["NODE_NAME"] = name
        environment["REQUESTS_TIMEOUT"] = String(requestsTimeout.wholeMilliseconds)
        environment["SHARDED"] = subscriptionMode
        self.process.environment = environment
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = FileHandle.standardError
    }

    /// Starts the node and waits (bounded) until it answers on its control endpoint.
    func start() async throws {
        try self.process.run()
        for _ in 0..<200 {
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(self.port)/control/ready")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)), response.status == .ok { return }
            guard self.process.isRunning else { throw NodeClusterError(operation: "start", message: "node exited with \(self.process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        self.stop()
        throw NodeClusterError(operation: "start", message: "not ready within 10 s")
    }

    /// Runs `op` with `arguments` on the node: its result, or a `NodeClusterError` with Node's message.
    @discardableResult
    func control(_ op: String, _ arguments: OrderedDictionary<String, SocketIOValue> = [:]) async throws -> SocketIOValue {
        var members: OrderedDictionary<String, SocketIOValue> = ["op": .string(op)]
        members.merge(arguments.mapValues(Self.toControl)) { _, new in new }
        let body = SocketIOValue.object(members)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(self.port)/control")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.jsonString))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let reply = try SocketIOValue(json: text)
        guard response.status == .ok else {
            throw NodeClusterError(operation: op, message: reply["error"]?.stringValue ?? text, responses: reply["responses"].map(Self.fromControl))
        }
        return Self.fromControl(reply["result"] ?? .null)
    }

    /// Holds the process still (SIGSTOP), like a node that stopped answering, or lets it go on.
    func pause() { kill(self.process.processIdentifier, SIGSTOP) }
    func resume() { kill(self.process.processIdentifier, SIGCONT) }

    func stop() {
        guard self.process.isRunning else { return }
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    deinit { self.stop() }

    /// The control endpoint carries binary as `{"$binary": base64}`.
    private static func toControl(_ value: SocketIOValue) -> SocketIOValue {
        switch value {
        case .binary(let buffer): ["$binary": .string(Data(buffer.readableBytesView).base64EncodedString())]
        case .array(let values): .array(values.map(toControl))
        case .object(let members): .object(members.mapValues(toControl))
        default: value
        }
    }

    private static func fromControl(_ value: SocketIOValue) -> SocketIOValue {
        switch value {
        case .object(let members):
            if members.count == 1, let encoded = members["$binary"]?.stringValue, let data = Data(base64Encoded: encoded) {
                return .binary(ByteBuffer(bytes: data))
            }
            return .object(members.mapValues(fromControl))
        case .array(let values): return .array(values.map(fromControl))
        default: return value
        }
    }
}

struct NodeClusterError: Error, CustomStringConvertible {
    let operation: String
    let message: String
    var responses: SocketIOValue?

    var description: String { "Node cluster node, \(self.operation): \(self.message)" }
}
