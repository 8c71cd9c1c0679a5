/// A key for a typed value stored on a socket (e.g. the claims of a verified token), declared by
/// whoever stores it so that unrelated middleware cannot collide.
///
/// ```swift
/// enum UserKey: SocketIOAttributeKey { typealias Value = User }
/// context.attributes[UserKey.self] = user
/// ```
public protocol SocketIOAttributeKey {
    /// The type of the value stored under this key.
    associatedtype Value: Sendable
}

/// Typed values attached to a socket by connection middleware.
public struct SocketIOAttributes: Sendable {
    private var storage: [ObjectIdentifier: any Sendable] = [:]

    /// No values.
    public init() {}

    /// The value stored under `key`, nil when there is none; setting nil removes it.
    public subscript<Key: SocketIOAttributeKey>(key: Key.Type) -> Key.Value? {
        get { self.storage[ObjectIdentifier(key)] as? Key.Value }
        set { self.storage[ObjectIdentifier(key)] = newValue }
    }
}
