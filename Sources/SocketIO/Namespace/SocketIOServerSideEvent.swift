/// An event another node of the cluster sent to this one with `serverSideEmit` (not a
/// client's: no socket sent it).
public struct SocketIOServerSideEvent: Sendable {
    /// Handles one server-side event (see `SocketIONamespace.onServerSideEmit`).
    public typealias Handler = @Sendable (SocketIOServerSideEvent) async -> Void

    /// The event's name.
    public let name: String
    /// The arguments the sending node passed.
    public let arguments: [SocketIOValue]
    private let reply: (@Sendable ([SocketIOValue]) -> Void)?

    /// Made by a cluster adapter for an event that another node sent.
    /// - Parameters:
    ///   - name: The event's name.
    ///   - arguments: Its arguments.
    ///   - reply: Carries the answer back to the sending node; nil when it asked for none.
    public init(name: String, arguments: [SocketIOValue], reply: (@Sendable ([SocketIOValue]) -> Void)?) {
        self.name = name
        self.arguments = arguments
        self.reply = reply
    }

    /// Whether the sending node waits for an answer (`serverSideEmitWithAck`).
    public var expectsAck: Bool { self.reply != nil }

    /// Answers the sending node; only its first argument reaches it, as in Node.
    public func ack(_ arguments: SocketIOValue...) {
        self.reply?(arguments)
    }
}
