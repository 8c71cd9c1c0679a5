import ArgumentParser

@main
struct PayNotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paynotify",
        abstract: "Real-time payment confirmations over Socket.IO.",
        subcommands: [ServeCommand.self, DoctorCommand.self, WebhookCommand.self, EmitCommand.self, WatchCommand.self, TokenCommand.self, BenchCommand.self, ConformanceCommand.self],
    )
}
