import GRDB
import Synchronization

/// Runs a SQLite ledger's writes in batches (group commit): the writes that arrive while one
/// batch commits share the next transaction, so a burst of webhooks costs one fsync per batch
/// instead of one each, and each caller is answered only once its own batch is durable.
///
/// Each write runs in a savepoint of the batch's transaction, so one failing write (a constraint,
/// a bad value) is undone and reported to its caller alone while the others commit. A failure
/// to begin or commit the transaction fails every write of the batch: none of them is durable.
///
/// The batches run on GRDB's writer queue, so the ledger's other writes stay serialised with
/// them. A batch commits with `synchronous = FULL` when any write in it must be durable, and
/// with `NORMAL` (no fsync; lost only in a power failure, never in a crash of the process) when
/// all of them may be lost so.
final class GroupCommitWriter: Sendable {
    /// How a write may be lost.
    enum Durability: Sendable {
        /// Durable on disk when its caller is answered.
        case durable
        /// Survives a crash of the process, not a power failure: written without an fsync.
        case crashSafe
    }

    private struct Job: Sendable {
        let durability: Durability
        /// Runs the write in its savepoint; returns what to do once the batch's fate is known.
        let run: @Sendable (Database) -> @Sendable ((any Error)?) -> Void
        /// Tells the caller that its write never ran (its batch could not begin).
        let abandon: @Sendable (any Error) -> Void
    }

    private struct Pending {
        var jobs: [Job] = []
        var draining = false
    }

    private let database: DatabasePool
    private let pending = Mutex(Pending())
    private let batches = Atomic<Int>(0)

    init(database: DatabasePool) {
        self.database = database
    }

    /// Transactions committed so far: fewer than the writes when writes shared batches.
    var committedBatches: Int { self.batches.load(ordering: .relaxed) }

    /// Runs `work` in the next batch; returns its result once that batch has committed.
    func write<T: Sendable>(_ durability: Durability = .durable, _ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            self.enqueue(
                Job(durability: durability) { db in
                    do {
                        let value = try Self.inSavepoint(db, work)
                        return { batchError in
                            if let batchError {
                                continuation.resume(throwing: batchError)
                            } else {
                                continuation.resume(returning: value)
                            }
                        }
                    } catch {
                        return { _ in continuation.resume(throwing: error) }
                    }
                } abandon: { error in
                    continuation.resume(throwing: error)
                }
            )
        }
    }

    /// Queues `work` for the next batch without waiting for it: for flags whose loss costs at
    /// most a repeated notification. `onFailure` learns of a write that did not commit.
    func writeSoon(_ work: @escaping @Sendable (Database) throws -> Void, onFailure: @escaping @Sendable (any Error) -> Void) {
        self.enqueue(
            Job(durability: .crashSafe) { db in
                do {
                    try Self.inSavepoint(db, work)
                    return { batchError in batchError.map(onFailure) }
                } catch {
                    return { _ in onFailure(error) }
                }
            } abandon: { error in
                onFailure(error)
            }
        )
    }

    private static func inSavepoint<T>(_ db: Database, _ work: (Database) throws -> T) throws -> T {
        var value: T?
        try db.inSavepoint {
            value = try work(db)
            return .commit
        }
        // `inSavepoint` returns only after running the closure, which set `value` or threw.
        return value!
    }

    private func enqueue(_ job: Job) {
        let startsDrain = self.pending.withLock { pending in
            pending.jobs.append(job)
            guard !pending.draining else { return false }
            pending.draining = true
            return true
        }
        if startsDrain {
            self.database.asyncWriteWithoutTransaction { db in self.drain(db) }
        }
    }

    /// Commits batches until no write is waiting.
    private func drain(_ db: Database) {
        while true {
            let jobs: [Job] = self.pending.withLock { pending in
                if pending.jobs.isEmpty { pending.draining = false }
                defer { pending.jobs = [] }
                return pending.jobs
            }
            guard !jobs.isEmpty else { return }
            self.commit(jobs, db)
        }
    }

    private func commit(_ jobs: [Job], _ db: Database) {
        let durable = jobs.contains { $0.durability == .durable }
        var completions: [@Sendable ((any Error)?) -> Void] = []
        completions.reserveCapacity(jobs.count)
        do {
            try db.cachedStatement(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL").execute()
            try db.beginTransaction(.immediate)
            for job in jobs { completions.append(job.run(db)) }
            try db.commit()
            self.batches.add(1, ordering: .relaxed)
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            for completion in completions { completion(error) }
            for job in jobs.dropFirst(completions.count) { job.abandon(error) }
            return
        }
        for completion in completions { completion(nil) }
    }
}
