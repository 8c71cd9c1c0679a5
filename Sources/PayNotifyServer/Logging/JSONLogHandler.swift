import Foundation
import Logging
import OrderedCollections
import SocketIO

/// Writes each message as one JSON object on one line (`LOG_FORMAT=json`), for log collectors:
/// `{"timestamp":"2024-01-15T10:30:00.000Z","level":"info","label":"paynotify","message":"…","metadata":{…}}`.
///
/// Each line goes out in a single write, so lines from concurrent tasks never interleave.
struct JSONLogHandler: LogHandler {
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
        self.output.write(Data((Self.line(for: event, label: self.label, metadata: self.mergedMetadata(event.metadata)) + "\n").utf8))
    }

    /// Handler metadata, then the provider's, then the call's: later wins.
    private func mergedMetadata(_ call: Logger.Metadata?) -> Logger.Metadata {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let call { merged.merge(call) { _, new in new } }
        return merged
    }

    /// The JSON line for one message (without its newline).
    static func line(for event: LogEvent, label: String, metadata: Logger.Metadata, date: Date = Date()) -> String {
        var object: OrderedDictionary<String, SocketIOValue> = [
            "timestamp": .string(PaymentNotifications.timestamp(date)),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string(event.message.description),
        ]
        if !metadata.isEmpty { object["metadata"] = Self.value(.dictionary(metadata)) }
        return SocketIOValue.object(object).jsonString
    }

    private static func value(_ value: Logger.MetadataValue) -> SocketIOValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(Self.value))
        case .dictionary(let dictionary):
            // Sorted, so the same metadata always reads the same.
            .object(OrderedDictionary(uniqueKeysWithValues: dictionary.sorted { $0.key < $1.key }.map { ($0.key, Self.value($0.value)) }))
        }
    }
}
