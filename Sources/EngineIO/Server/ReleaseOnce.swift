import Synchronization

/// Runs an admission release exactly once, whichever comes first: the session closing, or the
/// connection closing before a session ever existed (a failed websocket upgrade).
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
