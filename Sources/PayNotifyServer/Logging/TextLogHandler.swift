import Foundation
import Logging

/// Readable lines, in `StreamLogHandler`'s layout:
/// `2024-01-15T10:30:00.000Z info paynotify: booking=b-1 route=/webhook/payment [PayNotifyServer] Webhook recorded`.
typealias TextLogHandler = LineLogHandler<TextLogLine>

enum TextLogLine: LogLineFormat {
    static func line(for event: LogEvent, label: String, metadata: Logger.Metadata, date: Date) -> String {
        var line = "\(PaymentNotifications.timestamp(date)) \(event.level)"
        if !label.isEmpty { line += " \(label)" }
        line += ":"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)"
        return line
    }
}
