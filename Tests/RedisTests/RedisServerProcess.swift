import Foundation
import Logging
import NIOCore
import NIOPosix

/// A real `redis-server` on a free loopback port with its own empty directory, stopped by the
/// test that started it. `scripts/test` installs redis-server from Debian.
final class RedisServerProcess: @unchecked Sendable {
    static let executable = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first { FileManager.default.isExecutableFile(atPath: $0) }

    let port: Int
    let directory: URL
    let arguments: [String]
    private var process: Process?

    init(arguments: [String] = []) throws {
        self.port = try Self.freePort()
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.arguments = arguments
    }

    var url: String { "redis://127.0.0.1:\(self.port)" }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable!)
        process.arguments = ["--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.directory.path] + self.arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<200 {
            if (try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: self.port).get())
                .map({ $0.close(promise: nil) }) != nil
            {
                return
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw CancellationError()
    }

    /// SIGKILL, like a crash: the test process's threads block SIGTERM, and a child inherits
    /// that mask, so redis-server would never see a terminate. Nothing is persisted anyway.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        return channel.localAddress!.port!
    }
}

let testLogger = Logger(label: "redis.tests", factory: { _ in SwiftLogNoOpLogHandler() })
