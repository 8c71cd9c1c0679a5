import Foundation
import Logging
import OrderedCollections
import SocketIO

/// Each message as one JSON object on one line (`LOG_FORMAT=json`), for log collectors:
/// `{"timestamp":"2024-01-15T10:30:00.000Z","level":"info","label":"paynotify","message":"…","metadata":{…}}`.
typealias JSONLogHandler = LineLogHandler<JSONLogLine>

enum JSONLogLine: LogLineFormat {
    /// The JSON line for one message (without its newline).
    static func line(for event: LogEvent, label: String, metadata: Logger.Metadata, date: Date) -> String {
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
