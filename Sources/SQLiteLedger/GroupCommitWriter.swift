import Dispatch
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
///
/// A write nobody waits for (`writeSoon`) does not start a transaction of its own: it rides with
/// the next awaited write, or is committed `deferralLimit` after it was queued when none comes.
/// Under load that halves the transactions of a webhook (its record, then its announced flag).
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
        /// Runs the write, in a savepoint when it shares its batch (`isolated`); returns whether it
        /// failed, and what to do once the batch's fate is known.
        let run: @Sendable (_ db: Database, _ isolated: Bool) -> (failed: Bool, complete: @Sendable ((any Error)?) -> Void)
        /// Tells the caller that its write never ran (its batch could not begin).
        let abandon: @Sendable (any Error) -> Void
    }

    private struct Pending {
        /// Writes whose callers wait: each starts a batch if none is running.
        var jobs: [Job] = []
        /// `writeSoon`'s writes: committed with the next batch of `jobs`, or once due.
        var deferred: [Job] = []
        var draining = false
        /// Whether a timer will make the deferred writes due.
        var deferralTimerArmed = false
        /// Set by that timer: the deferred writes go into the next batch even with no other write.
        var deferredDue = false

        /// The writes of the next batch; the deferred ones first, so a write in the same batch that
        /// reads what they change (a retried payment's announced flag) sees them.
        mutating func takeBatch() -> [Job] {
            guard !self.jobs.isEmpty || (self.deferredDue && !self.deferred.isEmpty) else { return [] }
            let batch = self.deferred + self.jobs
            self.deferred = []
            self.jobs = []
            self.deferredDue = false
            return batch
        }
    }

    private let database: DatabasePool
    private let pending = Mutex(Pending())
    private let batches = Atomic<Int>(0)
    /// How long a `writeSoon` write waits for an awaited write to share a transaction with.
    private let deferralLimit: DispatchTimeInterval

    init(database: DatabasePool, deferralLimit: DispatchTimeInterval) {
        self.database = database
        self.deferralLimit = deferralLimit
    }

    /// Transactions committed so far: fewer than the writes when writes shared batches.
    var committedBatches: Int { self.batches.load(ordering: .relaxed) }

    /// Runs `work` in the next batch; returns its result once that batch has committed.
    func write<T: Sendable>(_ durability: Durability = .durable, _ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            self.enqueue(
                Job(durability: durability) { db, isolated in
                    do {
                        let value = try Self.run(work, db, isolated: isolated)
                        return (false, { batchError in
                            if let batchError {
                                continuation.resume(throwing: batchError)
                            } else {
                                continuation.resume(returning: value)
                            }
                        })
                    } catch {
                        return (true, { _ in continuation.resume(throwing: error) })
                    }
                } abandon: { error in
                    continuation.resume(throwing: error)
                }
            )
        }
    }

    /// Queues `work` for the next batch without waiting for it: for flags whose loss costs at
    /// most a repeated notification. `onFailure` learns of a write that did not commit.
    /// It is committed with the next awaited write, or at most `deferralLimit` later.
    func writeSoon(_ work: @escaping @Sendable (Database) throws -> Void, onFailure: @escaping @Sendable (any Error) -> Void) {
        self.enqueueDeferred(
            Job(durability: .crashSafe) { db, isolated in
                do {
                    try Self.run(work, db, isolated: isolated)
                    return (false, { batchError in batchError.map(onFailure) })
                } catch {
                    return (true, { _ in onFailure(error) })
                }
            } abandon: { error in
                onFailure(error)
            }
        )
    }

    /// Runs `work`, in a savepoint of its own when `isolated`, so that its failure undoes it alone.
    /// The transaction and savepoint statements are cached: GRDB's `beginTransaction` and
    /// `inSavepoint` compile theirs on every call, a visible share of a webhook's CPU time.
    private static func run<T>(_ work: (Database) throws -> T, _ db: Database, isolated: Bool) throws -> T {
        guard isolated else { return try work(db) }
        try db.cachedStatement(sql: "SAVEPOINT batch_write").execute()
        do {
            let value = try work(db)
            try db.cachedStatement(sql: "RELEASE SAVEPOINT batch_write").execute()
            return value
        } catch {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT batch_write").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT batch_write").execute()
            throw error
        }
    }

    private func enqueue(_ job: Job) {
        let startsDrain = self.pending.withLock { pending in
            pending.jobs.append(job)
            guard !pending.draining else { return false }
            pending.draining = true
            return true
        }
        if startsDrain { self.startDrain() }
    }

    private func enqueueDeferred(_ job: Job) {
        let armsTimer = self.pending.withLock { pending in
            pending.deferred.append(job)
            guard !pending.deferralTimerArmed else { return false }
            pending.deferralTimerArmed = true
            return true
        }
        guard armsTimer else { return }
        // A timer armed for earlier deferred writes may make these due sooner: harmless.
        DispatchQueue.global().asyncAfter(deadline: .now() + self.deferralLimit) { self.deferredWritesDue() }
    }

    private func deferredWritesDue() {
        let startsDrain = self.pending.withLock { pending in
            pending.deferralTimerArmed = false
            guard !pending.deferred.isEmpty else { return false }
            pending.deferredDue = true
            guard !pending.draining else { return false }
            pending.draining = true
            return true
        }
        if startsDrain { self.startDrain() }
    }

    private func startDrain() {
        self.database.asyncWriteWithoutTransaction { db in self.drain(db) }
    }

    /// Commits batches until no write is waiting.
    private func drain(_ db: Database) {
        while true {
            let jobs = self.pending.withLock { pending in
                let batch = pending.takeBatch()
                if batch.isEmpty { pending.draining = false }
                return batch
            }
            guard !jobs.isEmpty else { return }
            self.commit(jobs, db)
        }
    }

    /// Commits every queued write now, deferred ones included: for a ledger that is closing.
    /// Call it on the writer (inside one of GRDB's writes).
    func commitQueued(_ db: Database) {
        let jobs = self.pending.withLock { pending in
            pending.deferredDue = true
            return pending.takeBatch()
        }
        if !jobs.isEmpty { self.commit(jobs, db) }
    }

    private func commit(_ jobs: [Job], _ db: Database) {
        let durable = jobs.contains { $0.durability == .durable }
        var completions: [@Sendable ((any Error)?) -> Void] = []
        completions.reserveCapacity(jobs.count)
        do {
            try db.cachedStatement(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL").execute()
            try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
            // A write alone in its batch needs no savepoint: if it fails, the batch is undone.
            let isolated = jobs.count > 1
            var loneWriteFailed = false
            for job in jobs {
                let (failed, complete) = job.run(db, isolated)
                loneWriteFailed = failed && !isolated
                completions.append(complete)
            }
            if loneWriteFailed {
                try db.cachedStatement(sql: "ROLLBACK").execute()
            } else {
                try db.cachedStatement(sql: "COMMIT").execute()
                self.batches.add(1, ordering: .relaxed)
            }
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            for completion in completions { completion(error) }
            for job in jobs.dropFirst(completions.count) { job.abandon(error) }
            return
        }
        for completion in completions { completion(nil) }
    }
}
