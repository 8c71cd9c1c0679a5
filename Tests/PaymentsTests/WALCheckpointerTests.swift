import Foundation
import GRDB
import Payments
import Testing

@testable import SQLiteLedger

@Suite("The ledger's write-ahead log is checkpointed beside the writer, never in a webhook's commit")
struct WALCheckpointerTests {
    @Test("Commits leave the log to the checkpointer, which moves every frame into the database file")
    func checkpointsOffTheWriter() async throws {
        try await withLedger { ledger, path in
            // Enough writes to cross SQLite's automatic checkpoint (1,000 pages) several times over.
            for index in 0..<1_000 {
                _ = try await ledger.record(payment("txn-\(index)", booking: "booking-\(index)"))
            }
            let walBytes = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            #expect(walBytes > 3_000 * 4_096, "the writer did not checkpoint (WAL \(walBytes) bytes)")
            try await WALCheckpointer(path: path, busyTimeout: 5).checkpoint()
            let remaining = try await DatabaseQueue(path: path).writeWithoutTransaction { db in
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            }
            // busy, frames in the log, frames checkpointed: nothing was left to copy.
            #expect(remaining?[0] as Int? == 0)
            #expect(remaining?[1] as Int? == remaining?[2] as Int?)
        }
    }
}
