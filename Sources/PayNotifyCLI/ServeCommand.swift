import ArgumentParser
import Foundation
import Logging
import PayNotifyServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the payment notifier.",
        discussion: ConfigurationOptions.variablesHelp
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration: PayNotifyConfiguration
        do {
            configuration = try self.options.load()
        } catch {
            FileHandle.standardError.write(Data("paynotify: invalid configuration: \(error)\n".utf8))
            throw ExitCode.validationFailure
        }
        let logger = PayNotifyLogging.makeLogger(label: "paynotify", level: configuration.logLevel, format: configuration.operations.logFormat)
        do {
            try await PayNotifyApplication(configuration: configuration, logger: logger).run()
        } catch {
            logger.critical("Server stopped", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}
