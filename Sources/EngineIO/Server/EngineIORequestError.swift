public import HTTPTypes

/// A refused Engine.IO HTTP request, answered as the protocol prescribes:
/// a JSON body `{"code":N,"message":"…"}` with status 400 (403 for `forbidden`).
public struct EngineIORequestError: Error, Hashable, CustomStringConvertible {
    public enum Code: Int, Sendable, Hashable {
        case unknownTransport = 0
        case unknownSessionID = 1
        case badHandshakeMethod = 2
        case badRequest = 3
        case forbidden = 4
        case unsupportedProtocolVersion = 5
    }

    public let code: Code
    /// Extra detail for logs; the client sees only the protocol's fixed message.
    public let detail: String?
    /// Overrides 400/403, e.g. 413 for a body over `maxPayload`.
    private let statusOverride: HTTPResponse.Status?

    public init(_ code: Code, detail: String? = nil, status: HTTPResponse.Status? = nil) {
        self.code = code
        self.detail = detail
        self.statusOverride = status
    }

    public var message: String {
        switch self.code {
        case .unknownTransport: "Transport unknown"
        case .unknownSessionID: "Session ID unknown"
        case .badHandshakeMethod: "Bad handshake method"
        case .badRequest: "Bad request"
        case .forbidden: "Forbidden"
        case .unsupportedProtocolVersion: "Unsupported protocol version"
        }
    }

    public var status: HTTPResponse.Status {
        if let statusOverride { return statusOverride }
        return self.code == .forbidden ? .forbidden : .badRequest
    }

    /// The JSON body sent to the client.
    var body: String {
        #"{"code":\#(self.code.rawValue),"message":"\#(self.message)"}"#
    }

    public var description: String {
        "\(self.message) (code \(self.code.rawValue))" + (self.detail.map { ": \($0)" } ?? "")
    }
}
