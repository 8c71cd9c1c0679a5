import Synchronization

/// Runs an admission release exactly once, whichever comes first: the session closing, or a
/// websocket upgrade failing before its session existed.
final class ReleaseOnce: Sendable {
    private let action: @Sendable () -> Void
    private let done = Atomic<Bool>(false)

    init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    func run() {
        guard !self.done.exchange(true, ordering: .acquiringAndReleasing) else { return }
        self.action()
    }
}
