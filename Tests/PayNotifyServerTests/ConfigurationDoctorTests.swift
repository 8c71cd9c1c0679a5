import Foundation
import Testing

@testable import PayNotifyServer

@Suite("Doctor: ledger path")
struct ConfigurationDoctorTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("A new file in a writable directory is fine, and is not created")
    func newFile() throws {
        let directory = try self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ledger.sqlite").path
        let finding = ConfigurationDoctor.checkWritable(path: path)
        #expect(finding.severity == .ok)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("An existing file is opened for writing, not changed")
    func existingFile() throws {
        let directory = try self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ledger.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("data".utf8)))
        #expect(ConfigurationDoctor.checkWritable(path: path).severity == .ok)
        #expect(FileManager.default.contents(atPath: path) == Data("data".utf8))
    }

    @Test("A missing directory or a directory in place of the file is an error")
    func errors() throws {
        let directory = try self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = ConfigurationDoctor.checkWritable(path: directory.appendingPathComponent("nope/ledger.sqlite").path)
        #expect(missing.severity == .error)
        #expect(missing.message.contains("does not exist"))
        let isDirectory = ConfigurationDoctor.checkWritable(path: directory.path)
        #expect(isDirectory.severity == .error)
        #expect(isDirectory.message.contains("is a directory"))
    }

    @Test("Severities order from ok to error")
    func severities() {
        typealias Severity = ConfigurationDoctor.Finding.Severity
        #expect([Severity.error, .ok, .warning, .notice].sorted() == [.ok, .notice, .warning, .error])
    }
}
