import Foundation
import HTTPTypes
import NIOCore
import Synchronization

/// Compresses polling responses for clients that accept it, as Node's `httpCompression` does.
///
/// zlib streams are costly to set up and not thread-safe, and a polling response may be
/// answered on any thread: a few are kept in a pool, each used by one response at a time.
final class HTTPResponseCompressor: Sendable {
    enum Encoding: String {
        case gzip
        case deflate
    }

    let settings: EngineIOCompression
    private let idle = Mutex<[Encoding: [ZlibStream]]>([:])
    /// Streams kept for reuse per encoding; more responses at once make streams of their own.
    private static let poolSize = 4

    init(settings: EngineIOCompression) {
        self.settings = settings
    }

    /// The body compressed in the encoding the request prefers, with the headers that say so;
    /// nil when the body is under the threshold or the client accepts neither encoding.
    func compress(_ body: ByteBuffer, acceptEncoding: String?) -> (body: ByteBuffer, encoding: Encoding)? {
        guard body.readableBytes >= self.settings.threshold, let encoding = Self.preferredEncoding(acceptEncoding) else { return nil }
        let stream = self.idle.withLock { $0[encoding]?.popLast() } ?? ZlibStream(encoding == .gzip ? .gzip(level: Int32(self.settings.level)) : .zlib(level: Int32(self.settings.level)))
        let compressed = stream.compress(body, syncFlush: false, allocator: ByteBufferAllocator())
        self.idle.withLock { idle in
            if idle[encoding, default: []].count < Self.poolSize { idle[encoding, default: []].append(stream) }
        }
        return (compressed, encoding)
    }

    /// gzip or deflate, whichever `Accept-Encoding` allows (gzip first, as Node); nil for neither.
    static func preferredEncoding(_ header: String?) -> Encoding? {
        guard let header else { return nil }
        var accepted: Set<String> = []
        var refused: Set<String> = []
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let token = parts.first, !token.isEmpty else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { accepted.insert(token) } else { refused.insert(token) }
        }
        for encoding in [Encoding.gzip, .deflate] where !refused.contains(encoding.rawValue) {
            if accepted.contains(encoding.rawValue) || accepted.contains("*") { return encoding }
        }
        return nil
    }
}
