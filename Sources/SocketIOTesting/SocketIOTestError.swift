import SocketIO

/// Why a `SocketIOTestClient` call failed: what the client was waiting for, and what happened
/// instead.
///
/// Every wait of the test client is bounded, so a missing event fails the test rather than
/// hanging it; `description` names what was awaited ("event 'paid' on /"), so the failure says
/// what did not arrive. Compare `code` with its static members:
///
/// ```swift
/// do {
///     _ = try await SocketIOTestClient.connect(to: io, auth: ["token": "wrong"])
/// } catch {
///     #expect(error.code == .connectRefused)
///     #expect(error.refusal?.message == "unauthorized")
/// }
/// ```
public struct SocketIOTestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. A struct with static members rather than an enum, so a kind added
    /// later does not break a caller that switches.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case timedOut, connectRefused, disconnected, alreadyConnected, cancelled
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Nothing matching arrived within the time allowed.
        public static let timedOut = Code(.timedOut)
        /// The server answered CONNECT with `connect_error` (a middleware refused, or the
        /// namespace does not exist); `refusal` holds its message and data.
        public static let connectRefused = Code(.connectRefused)
        /// The socket was disconnected, or its connection ended, before what was awaited
        /// arrived; `reason` says how.
        public static let disconnected = Code(.disconnected)
        /// The connection already has a socket in that namespace (the server ignores a second
        /// CONNECT for it).
        public static let alreadyConnected = Code(.alreadyConnected)
        /// The task waiting was cancelled.
        public static let cancelled = Code(.cancelled)

        /// The kind in words, e.g. `timed out`.
        public var description: String {
            switch self.base {
            case .timedOut: "timed out"
            case .connectRefused: "connection refused"
            case .disconnected: "disconnected"
            case .alreadyConnected: "already connected"
            case .cancelled: "cancelled"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// What the client was waiting for or doing, e.g. `event 'paid' on /`.
    public let awaited: String
    /// The server's `connect_error` (its message and data), when `code` is `.connectRefused`.
    public let refusal: SocketIOConnectError?
    /// How the socket left its namespace, when `code` is `.disconnected`.
    public let reason: SocketIOTestDisconnectReason?
    /// How long the client waited, when `code` is `.timedOut`.
    public let limit: Duration?

    private init(
        _ code: Code,
        awaited: String,
        refusal: SocketIOConnectError? = nil,
        reason: SocketIOTestDisconnectReason? = nil,
        limit: Duration? = nil
    ) {
        self.code = code
        self.awaited = awaited
        self.refusal = refusal
        self.reason = reason
        self.limit = limit
    }

    static func timedOut(awaiting awaited: String, after limit: Duration) -> SocketIOTestError {
        SocketIOTestError(.timedOut, awaited: awaited, limit: limit)
    }

    static func connectRefused(_ refusal: SocketIOConnectError, awaiting awaited: String) -> SocketIOTestError {
        SocketIOTestError(.connectRefused, awaited: awaited, refusal: refusal)
    }

    static func disconnected(_ reason: SocketIOTestDisconnectReason, awaiting awaited: String) -> SocketIOTestError {
        SocketIOTestError(.disconnected, awaited: awaited, reason: reason)
    }

    static func alreadyConnected(awaiting awaited: String) -> SocketIOTestError {
        SocketIOTestError(.alreadyConnected, awaited: awaited)
    }

    static func cancelled(awaiting awaited: String) -> SocketIOTestError {
        SocketIOTestError(.cancelled, awaited: awaited)
    }

    /// The failure in one line, as a test prints it: `timed out awaiting event 'paid' on /
    /// (waited 5.0 seconds)`.
    public var description: String {
        var text = "\(self.code) awaiting \(self.awaited)"
        if let limit { text += " (waited \(limit))" }
        if let refusal {
            text += ": \(refusal.message)"
            if let data = refusal.data { text += " \(data.jsonString)" }
        }
        if let reason { text += ": \(reason)" }
        return text
    }
}
