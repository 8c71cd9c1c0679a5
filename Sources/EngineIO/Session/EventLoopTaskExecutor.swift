package import NIOCore

/// Runs Swift tasks on a NIO event loop. The layer above starts a connection's handlers on the
/// connection's own loop: what they send is written without a thread hop, and a handler that
/// does not suspend runs start to finish where the packet was read (as Node runs its handlers
/// on its one thread). A handler that awaits elsewhere resumes on the loop afterwards.
package final class EventLoopTaskExecutor: TaskExecutor {
    package let eventLoop: any EventLoop

    private init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    private static let executors = PerEventLoop { EventLoopTaskExecutor(eventLoop: $0) }

    /// The executor of `eventLoop`, one per loop for the whole process.
    package static func shared(for eventLoop: any EventLoop) -> EventLoopTaskExecutor {
        Self.executors.value(for: eventLoop)
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
