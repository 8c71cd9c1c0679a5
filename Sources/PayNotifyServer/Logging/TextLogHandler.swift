import Foundation
import Logging

/// Writes readable lines to standard error, in `StreamLogHandler`'s layout:
/// `2024-01-15T10:30:00.000Z info paynotify: booking=b-1 route=/webhook/payment [PayNotifyServer] Webhook recorded`.
///
/// Unlike `StreamLogHandler`, it renders metadata only when a line is written: that handler
/// re-renders all of a logger's metadata each time one key is set, which every request does a
/// few times (request id, route, booking) whether or not anything is logged at the level in force.
/// Each line goes out in a single write, so lines from concurrent tasks never interleave.
struct TextLogHandler: LogHandler {
    let label: String
    let output: FileHandle
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, output: FileHandle = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let call = event.metadata { merged.merge(call) { _, new in new } }
        self.output.write(Data((Self.line(for: event, label: self.label, metadata: merged) + "\n").utf8))
    }

    /// The line for one message (without its newline).
    static func line(for event: LogEvent, label: String, metadata: Logger.Metadata, date: Date = Date()) -> String {
        var line = "\(PaymentNotifications.timestamp(date)) \(event.level)"
        if !label.isEmpty { line += " \(label)" }
        line += ":"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)"
        return line
    }
}
