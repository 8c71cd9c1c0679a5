import Foundation
import Logging

/// How a `LineLogHandler` writes one message: as readable text or as a JSON object.
protocol LogLineFormat: Sendable {
    /// The line for one message (without its newline); `metadata` is everything that applies.
    static func line(for event: LogEvent, label: String, metadata: Logger.Metadata, date: Date) -> String
}

/// The `paynotify` command's log handler: one line per message on a file handle (standard error
/// by default), in the layout `Format` gives.
///
/// Metadata is rendered only when a line is written (swift-log's `StreamLogHandler` re-renders
/// all of it whenever one key is set, which every request does a few times, whether or not
/// anything is logged at the level in force). Each line goes out in a single write, so lines from
/// concurrent tasks never interleave.
struct LineLogHandler<Format: LogLineFormat>: LogHandler {
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
        self.output.write(Data((Format.line(for: event, label: self.label, metadata: self.mergedMetadata(event.metadata), date: Date()) + "\n").utf8))
    }

    /// Handler metadata, then the provider's, then the call's: later wins.
    private func mergedMetadata(_ call: Logger.Metadata?) -> Logger.Metadata {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let call { merged.merge(call) { _, new in new } }
        return merged
    }
}
