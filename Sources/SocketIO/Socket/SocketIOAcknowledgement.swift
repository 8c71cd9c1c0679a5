import Synchronization

/// The answer to an event that asked for one. Only the first call sends anything: the protocol
/// allows one ACK per id.
///
/// The same type on both sides: a server's handler answers a client's `emitWithAck` with it, and
/// a `SocketIOTesting` client answers a server's.
public final class SocketIOAcknowledgement: Sendable {
    let id: Int
    private let sender: any SocketIOAcknowledgementSender
    private let sent = Atomic<Bool>(false)

    /// - Parameters:
    ///   - id: The ack id of the event being answered.
    ///   - sender: Sends the ACK packet in the event's namespace.
    package init(id: Int, sender: any SocketIOAcknowledgementSender) {
        self.id = id
        self.sender = sender
    }

    /// Answers with `arguments`: `event.ack?("ok")`.
    public func callAsFunction(_ arguments: SocketIOValue...) {
        self.send(arguments)
    }

    /// Answers with `arguments`, given as an array; later calls send nothing.
    public func send(_ arguments: [SocketIOValue]) {
        guard !self.sent.exchange(true, ordering: .relaxed) else { return }
        self.sender.sendAcknowledgement(self.id, arguments: arguments)
    }

    /// Whether the acknowledgement was already sent.
    public var isSent: Bool { self.sent.load(ordering: .relaxed) }
}

/// Where an acknowledgement goes: the server's socket, or a test client's namespace.
package protocol SocketIOAcknowledgementSender: AnyObject, Sendable {
    /// Sends the ACK packet `id` with `arguments`, in the sender's namespace.
    func sendAcknowledgement(_ id: Int, arguments: [SocketIOValue])
}

/// Why a server → client acknowledgement did not arrive.
///
/// A struct rather than an enum, as Hummingbird's errors are: a new reason can be added without
/// breaking code that switches over them. Compare with `==`, or match in a `catch`:
///
/// ```swift
/// do {
///     let answer = try await socket.timeout(.seconds(2)).emitWithAck("question")
/// } catch SocketIOAckError.timeout {
///     socket.emit("too-slow")
/// } catch {
///     // .disconnected: the socket left before answering
/// }
/// ```
public struct SocketIOAckError: Error, Hashable, CustomStringConvertible {
    enum Code: Hashable {
        case timeout
        case disconnected
    }

    let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The client did not answer within the timeout.
    public static let timeout = SocketIOAckError(.timeout)
    /// The socket disconnected before its client answered.
    public static let disconnected = SocketIOAckError(.disconnected)

    /// Lets `catch SocketIOAckError.timeout` match where the caught error is `any Error`.
    public static func ~= (pattern: SocketIOAckError, error: any Error) -> Bool {
        (error as? SocketIOAckError) == pattern
    }

    /// `timeout` or `disconnected`, as the enum this type replaced printed them (the
    /// conformance server sends this text to interop clients).
    public var description: String {
        switch self.code {
        case .timeout: "timeout"
        case .disconnected: "disconnected"
        }
    }
}
