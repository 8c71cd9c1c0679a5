import ArgumentParser
import EngineIO
import Foundation
import HummingbirdWSClient
import Logging
import PayNotifyServer
import NIOConcurrencyHelpers
import NIOCore
import SocketIO

/// Connects as a Socket.IO client (over websocket), subscribes to a booking and prints every
/// event as it arrives: the other half of `paynotify webhook`, so the whole loop can be seen
/// in two terminals. Reconnects and re-subscribes if the connection drops.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Subscribe to a booking and print its events as they arrive."
    )

    @Option(help: "Booking id to watch.")
    var booking: String

    @Option(help: "Server URL.")
    var url = "http://127.0.0.1:3000"

    @Flag(help: "Exit once the booking is confirmed (after payment_confirmed).")
    var untilPaid = false

    @Option(help: "Give up after this many seconds (0: never).")
    var timeout = 0

    @Option(help: "Socket token, when the server requires one (see paynotify token).")
    var token: String?

    func run() async throws {
        let logger = PayNotifyLogging.makeLogger(label: "paynotify.watch", level: .warning, format: .text)
        let webSocketURL = self.url.replacingOccurrences(of: "http://", with: "ws://")
            .replacingOccurrences(of: "https://", with: "wss://") + "/socket.io/?EIO=4&transport=websocket"
        let deadline = self.timeout > 0 ? ContinuousClock.now + .seconds(self.timeout) : nil
        var delay = Duration.milliseconds(250)
        while true {
            let session = WatchSession(bookingID: self.booking, token: self.token, untilPaid: self.untilPaid)
            do {
                try await WebSocketClient.connect(url: webSocketURL, configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, outbound, _ in
                    try await session.run(inbound: inbound, outbound: outbound)
                }
            } catch {
                FileHandle.standardOutput.write(Data("connection failed: \(error)\n".utf8))
            }
            if session.state.withLockedValue({ $0.paid }) { return }
            if let deadline, ContinuousClock.now >= deadline { throw ExitCode.failure }
            FileHandle.standardOutput.write(Data("disconnected; reconnecting in \(delay)\n".utf8))
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}
