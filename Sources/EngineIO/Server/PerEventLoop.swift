import NIOCore
import Synchronization

/// One value per event loop, made the first time that loop asks (a loop's write batcher, its
/// task executor): shared by the loop's sessions instead of one per session.
final class PerEventLoop<Value: Sendable>: Sendable {
    private let values = Mutex<[ObjectIdentifier: Value]>([:])
    private let make: @Sendable (any EventLoop) -> Value

    init(_ make: @escaping @Sendable (any EventLoop) -> Value) {
        self.make = make
    }

    func value(for eventLoop: any EventLoop) -> Value {
        self.values.withLock { values in
            if let value = values[ObjectIdentifier(eventLoop)] { return value }
            let value = self.make(eventLoop)
            values[ObjectIdentifier(eventLoop)] = value
            return value
        }
    }
}
