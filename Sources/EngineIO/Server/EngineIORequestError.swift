public import HTTPTypes

/// A refused Engine.IO HTTP request, answered as the protocol prescribes: a JSON body
/// `{"code":N,"message":"…"}` with status 400 (403 for `forbidden`; an empty 413 for a body
/// over `maxPayload`).
///
/// An admission policy refuses a handshake with one of these (``EngineIOAdmission/refused(_:)``);
/// the endpoint answers its own protocol errors the same way. The client sees only the code and
/// the protocol's fixed message, never ``detail``.
public struct EngineIORequestError: Error, Hashable, CustomStringConvertible {
    /// One of the protocol's error codes, the `code` of the JSON answer.
    ///
    /// A struct with static members rather than an enum, as Hummingbird's errors are: a code added
    /// later is a new member, not a new case that breaks every `switch` over them.
    public struct Code: Sendable, Hashable {
        fileprivate enum Value: Int, Sendable, Hashable {
            case unknownTransport = 0
            case unknownSessionID = 1
            case badHandshakeMethod = 2
            case badRequest = 3
            case forbidden = 4
            case unsupportedProtocolVersion = 5
        }

        fileprivate let value: Value

        /// The number sent to the client (`0` to `5`).
        public var rawValue: Int { self.value.rawValue }

        /// 0: the `transport` query parameter is missing, unknown or not enabled.
        public static var unknownTransport: Self { Self(value: .unknownTransport) }
        /// 1: no open session has the request's `sid`.
        public static var unknownSessionID: Self { Self(value: .unknownSessionID) }
        /// 2: a handshake (a request without `sid`) that is not a `GET`.
        public static var badHandshakeMethod: Self { Self(value: .badHandshakeMethod) }
        /// 3: anything else the protocol does not allow (a concurrent poll, an oversized body, …).
        public static var badRequest: Self { Self(value: .badRequest) }
        /// 4: refused by policy (an admission policy, or a CORS preflight from an origin not allowed).
        public static var forbidden: Self { Self(value: .forbidden) }
        /// 5: a handshake without `EIO=4`.
        public static var unsupportedProtocolVersion: Self { Self(value: .unsupportedProtocolVersion) }
    }

    /// The protocol's error code.
    public let code: Code
    /// Extra detail for logs; the client sees only the protocol's fixed message.
    public let detail: String?
    /// Replaces the code's usual status, e.g. 413 for a body over `maxPayload`.
    private let statusOverride: HTTPResponse.Status?

    /// - Parameters:
    ///   - code: The protocol's error code, sent to the client.
    ///   - detail: Why, for the server's logs only.
    ///   - status: The HTTP status to answer with instead of the code's usual one (400, or 403
    ///     for `forbidden`), e.g. 503 while the server drains.
    public init(_ code: Code, detail: String? = nil, status: HTTPResponse.Status? = nil) {
        self.code = code
        self.detail = detail
        self.statusOverride = status
    }

    /// The protocol's fixed message for the code, as the client reads it.
    public var message: String {
        switch self.code.value {
        case .unknownTransport: "Transport unknown"
        case .unknownSessionID: "Session ID unknown"
        case .badHandshakeMethod: "Bad handshake method"
        case .badRequest: "Bad request"
        case .forbidden: "Forbidden"
        case .unsupportedProtocolVersion: "Unsupported protocol version"
        }
    }

    /// The HTTP status the request is answered with.
    public var status: HTTPResponse.Status {
        if let statusOverride { return statusOverride }
        return self.code == .forbidden ? .forbidden : .badRequest
    }

    /// The body sent to the client: the JSON error, or nothing for a 413 (a body over
    /// `maxPayload`), which Node's server answers bare and its clients expect so.
    var body: String {
        guard self.status != .contentTooLarge else { return "" }
        return #"{"code":\#(self.code.rawValue),"message":"\#(self.message)"}"#
    }

    /// The message, code and detail, for logs.
    public var description: String {
        "\(self.message) (code \(self.code.rawValue))" + (self.detail.map { ": \($0)" } ?? "")
    }
}
