import Foundation
import Logging
import ServiceLifecycle

/// Deletes payments older than the retention period, once at start and then every `interval`,
/// so the ledger does not grow without bound.
public struct LedgerPruningService: Service {
    let ledger: any LedgerMaintenance
    let retention: Duration
    let interval: Duration
    let logger: Logger

    public init(ledger: any LedgerMaintenance, retention: Duration, interval: Duration = .seconds(3600), logger: Logger) {
        self.ledger = ledger
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pruneOnce()
                // Cancellation (shutdown) ends the sleep early; the loop then stops without error.
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Prunes now; a failure is logged and retried at the next interval.
    public func pruneOnce() async {
        let cutoff = Date().addingTimeInterval(-(self.retention / .seconds(1)))
        do {
            let removed = try await self.ledger.prune(recordedBefore: cutoff)
            if removed > 0 {
                self.logger.info("Pruned old payments", metadata: ["removed": "\(removed)", "cutoff": "\(cutoff)"])
            }
        } catch {
            self.logger.error("Pruning the ledger failed", metadata: ["error": "\(error)"])
        }
    }
}
