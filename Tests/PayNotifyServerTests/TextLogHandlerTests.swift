import Foundation
import Logging
import Testing

@testable import PayNotifyServer

@Suite("Text log lines")
struct TextLogHandlerTests {
    /// Logs through a real `Logger` into a file and reads the lines back.
    private func lines(_ log: (inout Logger) -> Void) throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("text-log-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try #require(FileHandle(forWritingAtPath: path))
        var logger = Logger(label: "paynotify.test") { label in TextLogHandler(label: label, output: output) }
        log(&logger)
        try output.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return text.split(separator: "\n").map(String.init)
    }

    @Test("Timestamp, level, label, sorted metadata (the call's wins), source, message")
    func layout() throws {
        let lines = try self.lines { logger in
            logger[metadataKey: "request"] = "req-1"
            logger[metadataKey: "booking"] = "b-1"
            logger.info("Webhook recorded", metadata: ["booking": "b-2", "outcome": "new"])
            logger.debug("below the level: not written")
            logger.warning("plain")
        }
        #expect(lines.count == 2)
        let first = try #require(lines.first)
        #expect(first.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info paynotify\.test: booking=b-2 outcome=new request=req-1 \[PayNotifyServerTests\] Webhook recorded/) != nil, "\(first)")
        #expect(lines[1].hasSuffix("warning paynotify.test: booking=b-1 request=req-1 [PayNotifyServerTests] plain"), "\(lines[1])")
    }
}
