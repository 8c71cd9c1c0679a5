import Crypto
import Foundation
import HTTPTypes
import NIOCore

/// The websocket opening handshake (RFC 6455 §4.2) as a server answers it, read straight from a
/// connection's first bytes: pure functions over the request head, no channel.
enum WebSocketHandshake {
    /// What a connection's first request head turned out to be.
    enum FirstRequest: Equatable {
        /// The head is not complete yet.
        case incomplete
        /// Not a websocket upgrade (or not readable as one): for the HTTP/1.1 pipeline to answer.
        case http
        /// A websocket upgrade that is not well formed, for `target` (empty when unreadable):
        /// refused when the target is an Engine.IO endpoint's, otherwise another server's to answer.
        case invalidUpgrade(target: String)
        /// A websocket upgrade; `headLength` bytes of the buffer are its head.
        case upgrade(Upgrade, headLength: Int)
    }

    struct Upgrade: Equatable {
        /// The request target (path and query).
        let target: String
        let headers: HTTPFields
        let key: String
    }

    /// The GUID RFC 6455 appends to the client's key.
    private static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Reads the head at the start of `bytes`, at most `maximumHeadBytes` of it.
    static func firstRequest(in bytes: ByteBufferView, maximumHeadBytes: Int) -> FirstRequest {
        guard let end = Self.headEnd(in: bytes) else {
            return bytes.count > maximumHeadBytes ? .http : .incomplete
        }
        let headLength = end.upperBound - bytes.startIndex
        guard headLength <= maximumHeadBytes else { return .http }
        // Header bytes that are not UTF-8 are the HTTP pipeline's to refuse.
        guard let head = String(validating: bytes[bytes.startIndex..<end.lowerBound], as: UTF8.self) else { return .http }
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else { return .http }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        var fields: [Field] = []
        for line in lines {
            // No obsolete line folding, and every line a `name: value`.
            guard let colon = line.firstIndex(of: ":"), let first = line.first, first != " ", first != "\t" else { return .http }
            let name = line[..<colon]
            fields.append(Field(name: name, lowercasedName: name.lowercased(), value: Self.trimmed(line[line.index(after: colon)...])))
        }
        let isUpgrade = fields.contains { $0.lowercasedName == "upgrade" && Self.hasToken("websocket", in: $0.value) }
        guard isUpgrade else { return .http }
        let invalid = FirstRequest.invalidUpgrade(target: parts.count > 1 ? String(parts[1]) : "")
        guard parts.count == 3, parts[0] == "GET", parts[2] == "HTTP/1.1", parts[1].first == "/",
            fields.contains(where: { $0.lowercasedName == "connection" && Self.hasToken("upgrade", in: $0.value) }),
            Self.single("sec-websocket-version", in: fields) == "13",
            let key = Self.single("sec-websocket-key", in: fields), !key.isEmpty
        else { return invalid }
        var headers = HTTPFields()
        for field in fields {
            guard let name = HTTPField.Name(String(field.name)) else { return invalid }
            headers.append(HTTPField(name: name, value: String(field.value)))
        }
        return .upgrade(Upgrade(target: String(parts[1]), headers: headers, key: String(key)), headLength: headLength)
    }

    /// Where the first `\r\n\r\n` is. A plain scan: the standard library's `firstRange(of:)`
    /// reached this generic code unspecialized, its type metadata looked up at run time, which
    /// cost about a tenth of a websocket connection's CPU.
    private static func headEnd(in bytes: ByteBufferView) -> Range<ByteBufferView.Index>? {
        var index = bytes.startIndex
        let last = bytes.endIndex - 3
        while index < last {
            if bytes[index] == UInt8(ascii: "\r"), bytes[index + 1] == UInt8(ascii: "\n"),
                bytes[index + 2] == UInt8(ascii: "\r"), bytes[index + 3] == UInt8(ascii: "\n")
            {
                return index..<(index + 4)
            }
            index += 1
        }
        return nil
    }

    /// `101 Switching Protocols`, with the accept value for the client's key and the
    /// extensions accepted, if any.
    static func switchingProtocols(key: String, extensions: String? = nil, allocator: ByteBufferAllocator) -> ByteBuffer {
        let digest = Insecure.SHA1.hash(data: Data((key + Self.acceptGUID).utf8))
        let accept = Data(digest).base64EncodedString()
        let extensionLine = extensions.map { "Sec-WebSocket-Extensions: \($0)\r\n" } ?? ""
        return allocator.buffer(string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\(extensionLine)\r\n")
    }

    /// A header line of the head, its name lower-cased once for the comparisons.
    private struct Field {
        let name: Substring
        let lowercasedName: String
        let value: Substring
    }

    /// The value of a header that must appear once; nil when absent or repeated.
    private static func single(_ name: String, in fields: [Field]) -> Substring? {
        let matching = fields.filter { $0.lowercasedName == name }
        return matching.count == 1 ? matching[0].value : nil
    }

    /// Whether a comma-separated header value lists `token` (case-insensitive).
    private static func hasToken(_ token: String, in value: Substring) -> Bool {
        value.split(separator: ",").contains { Self.trimmed($0).lowercased() == token }
    }

    /// `text` without leading or trailing spaces and tabs (HTTP's optional whitespace).
    static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[start...last]
    }
}
