import Foundation
import Logging
import SocketIO
import Testing

@testable import PayNotifyServer

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    /// Logs through a real `Logger` into a file and reads the lines back as JSON values.
    private func lines(_ log: (inout Logger) -> Void) throws -> [SocketIOValue] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("json-log-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try #require(FileHandle(forWritingAtPath: path))
        var logger = Logger(label: "paynotify.test") { label in JSONLogHandler(label: label, output: output) }
        log(&logger)
        try output.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { try SocketIOValue(json: $0) }
    }

    @Test("One object per line: timestamp, level, label, message, metadata")
    func fields() throws {
        let lines = try self.lines { logger in
            logger[metadataKey: "request"] = "req-1"
            logger.info("Webhook recorded", metadata: ["outcome": "new", "latency": .stringConvertible(Duration.milliseconds(3))])
            logger.warning("plain")
        }
        #expect(lines.count == 2)
        let first = lines[0]
        #expect(first["level"]?.stringValue == "info")
        #expect(first["label"]?.stringValue == "paynotify.test")
        #expect(first["message"]?.stringValue == "Webhook recorded")
        #expect(first["metadata"]?["request"]?.stringValue == "req-1")
        #expect(first["metadata"]?["outcome"]?.stringValue == "new")
        #expect(first["metadata"]?["latency"]?.stringValue == "0.003 seconds")
        let timestamp = try #require(first["timestamp"]?.stringValue)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        #expect(lines[1]["metadata"]?["request"]?.stringValue == "req-1")
    }

    @Test("Quotes, newlines and nested metadata stay valid JSON; the call's metadata wins")
    func escaping() throws {
        let lines = try self.lines { logger in
            logger[metadataKey: "key"] = "handler"
            logger.error("line one\nline \"two\"", metadata: ["key": "call", "nested": ["list": ["a", "b"], "map": ["x": "y"]]])
        }
        let line = try #require(lines.first)
        #expect(line["message"]?.stringValue == "line one\nline \"two\"")
        #expect(line["metadata"]?["key"]?.stringValue == "call")
        #expect(line["metadata"]?["nested"]?["list"] == ["a", "b"])
        #expect(line["metadata"]?["nested"]?["map"]?["x"]?.stringValue == "y")
    }

    @Test("Lines under the logger's level are not written")
    func level() throws {
        let lines = try self.lines { logger in
            logger.logLevel = .warning
            logger.info("hidden")
            logger.warning("shown")
        }
        #expect(lines.map { $0["message"]?.stringValue } == ["shown"])
    }
}
