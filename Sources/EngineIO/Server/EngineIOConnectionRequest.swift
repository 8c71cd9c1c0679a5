public import HTTPTypes
public import NIOCore

/// What the server knew about a client when its session was opened: the handshake request.
///
/// Kept with the session so the layers above can authorise from it (headers, query, address).
public struct EngineIOConnectionRequest: Sendable {
    /// The request path, without the query.
    public let path: String
    /// The query parameters, percent-decoded (`EIO`, `transport`, and whatever the client added,
    /// such as a token).
    public var query: [String: String] {
        switch self.storedQuery {
        case .parsed(let query): query
        case .raw(let query): Self.parseQuery(query[...])
        }
    }
    /// A handshake's query is kept as the request's query string and decoded when asked: as a
    /// dictionary it costs about 150 bytes more per connection, for something read once or twice.
    private let storedQuery: StoredQuery
    /// The peer's address: the client's, or a proxy's (the `X-Forwarded-For` header says more).
    public let remoteAddress: SocketAddress?
    /// The transport the session was opened on (it may upgrade later).
    public let transport: EngineIOTransportKind
    /// The headers as `name: value` lines in one string. A session keeps its handshake for its
    /// whole life; as `HTTPFields` (an entry and up to three strings per field) they cost about
    /// half a kilobyte more per connection, for something read once or twice.
    private let packedHeaders: String

    /// The handshake request's headers, in their order.
    public var headers: HTTPFields {
        var fields = HTTPFields()
        for line in self.packedHeaders.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) else { continue }
            fields.append(HTTPField(name: name, value: String(line[line.index(after: colon)...])))
        }
        return fields
    }

    /// Made by the endpoint at each handshake; public so that tests can hand one to an
    /// admission policy or a layer above.
    /// - Parameters:
    ///   - path: The request path, without the query.
    ///   - query: The decoded query parameters.
    ///   - headers: The request's headers.
    ///   - remoteAddress: The peer's address, if known.
    ///   - transport: The transport of the handshake.
    public init(
        path: String,
        query: [String: String],
        headers: HTTPFields,
        remoteAddress: SocketAddress?,
        transport: EngineIOTransportKind
    ) {
        self.init(path: path, storedQuery: .parsed(query), headers: headers, remoteAddress: remoteAddress, transport: transport)
    }

    /// Made by the endpoint from a handshake's query string (without its `?`).
    package init(path: String, rawQuery: Substring?, headers: HTTPFields, remoteAddress: SocketAddress?, transport: EngineIOTransportKind) {
        self.init(path: path, storedQuery: .raw(String(rawQuery ?? "")), headers: headers, remoteAddress: remoteAddress, transport: transport)
    }

    private init(path: String, storedQuery: StoredQuery, headers: HTTPFields, remoteAddress: SocketAddress?, transport: EngineIOTransportKind) {
        self.path = path
        self.storedQuery = storedQuery
        // Field names hold no colon and values no line break, so the lines read back exactly.
        self.packedHeaders = headers.map { "\($0.name.rawName):\($0.value)" }.joined(separator: "\n")
        self.remoteAddress = remoteAddress
        self.transport = transport
    }

    /// One query parameter, decoded, without decoding the others.
    package func queryValue(_ name: String) -> String? {
        switch self.storedQuery {
        case .parsed(let query):
            return query[name]
        case .raw(let query):
            var value: String?
            for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
                let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
                if Self.percentDecode(Substring(parts[0])) == name {
                    // As in `parseQuery`, the last occurrence wins.
                    value = parts.count > 1 ? Self.percentDecode(Substring(parts[1])) : ""
                }
            }
            return value
        }
    }

    private enum StoredQuery: Sendable {
        case parsed([String: String])
        case raw(String)
    }

    /// Parses `a=1&b=2` into a dictionary, percent-decoding keys and values. Later keys win.
    package static func parseQuery(_ query: Substring?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.percentDecode(parts[0])
            let value = parts.count > 1 ? Self.percentDecode(parts[1]) : ""
            result[key] = value
        }
        return result
    }

    /// `+` as a space and `%XX` as its byte, the bytes read as UTF-8. A text with a `%` not
    /// followed by two hex digits, or that decodes to invalid UTF-8, keeps its escapes (only
    /// `+` decoded). Byte by byte rather than through Foundation: every polling request's query
    /// is decoded, and Foundation's string bridging cost more than the rest of the parse.
    static func percentDecode(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(text) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(utf8.count)
        var bytes = utf8[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = bytes.popFirst().flatMap(Self.hexValue), let low = bytes.popFirst().flatMap(Self.hexValue) else {
                    return Self.plusDecoded(text)
                }
                decoded.append(high << 4 | low)
            default:
                decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self) ?? Self.plusDecoded(text)
    }

    /// The text with only `+` decoded: what a malformed escape leaves.
    private static func plusDecoded(_ text: Substring) -> String {
        String(decoding: text.utf8.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
