import Logging

/// The loggers of the `paynotify` command: to standard error, readable lines or JSON lines.
public enum PayNotifyLogging {
    public static func makeLogger(label: String, level: Logger.Level, format: OperationsConfiguration.LogFormat) -> Logger {
        var logger = Logger(label: label) { label in
            switch format {
            case .text: TextLogHandler(label: label)
            case .json: JSONLogHandler(label: label)
            }
        }
        logger.logLevel = level
        return logger
    }
}
