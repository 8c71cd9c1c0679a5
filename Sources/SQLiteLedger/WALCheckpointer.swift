import GRDB

/// Moves the write-ahead log into the database file from a connection of its own, every second.
///
/// SQLite's automatic checkpoint runs inside the commit of whichever write crosses 1,000 WAL
/// pages: that webhook's answer then waits for the checkpoint's writes and its fsync of the
/// database file (tens of milliseconds on this disk), and every webhook queued behind it with it.
/// A passive checkpoint from another connection does the same work beside the writer, which
/// goes on appending to the log meanwhile.
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    static let interval = Duration.seconds(1)

    init(path: String, busyTimeout: Double) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "ledger-checkpointer"
        self.connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Copies what it can of the log into the database without waiting for readers or the writer.
    func checkpoint() async throws {
        try await self.connection.writeWithoutTransaction { db in
            _ = try db.checkpoint(.passive)
        }
    }
}
