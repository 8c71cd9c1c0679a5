import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A file compiled into the binary and served as is. Its ETag is its SHA-384, the same hash a
/// page pins with Subresource Integrity, so a cached copy is revalidated with a 304 and never
/// goes stale unnoticed.
struct StaticAsset: Sendable {
    let body: ByteBuffer
    let contentType: String
    let cacheControl: String
    /// `sha384-<base64>`: the value of a `<script integrity>` attribute for this file.
    let integrity: String
    /// Whether pages of any origin may load it (a public file, fetched without credentials).
    let allowsAnyOrigin: Bool
    /// Sent with it besides the caching headers, e.g. a page's Content-Security-Policy.
    let headers: HTTPFields

    init(bytes: [UInt8], contentType: String, cacheControl: String, allowsAnyOrigin: Bool = false, headers: HTTPFields = [:]) {
        self.body = ByteBuffer(bytes: bytes)
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.allowsAnyOrigin = allowsAnyOrigin
        self.headers = headers
        self.integrity = "sha384-" + Data(SHA384.hash(data: bytes)).base64EncodedString()
    }

    var etag: String { "\"\(self.integrity)\"" }

    /// The file, or `304 Not Modified` when the request's `If-None-Match` names this version.
    func response(to request: Request) -> Response {
        var headers: HTTPFields = [
            .contentType: self.contentType,
            .cacheControl: self.cacheControl,
            .eTag: self.etag,
            .xContentTypeOptions: "nosniff",
        ]
        if self.allowsAnyOrigin {
            headers[.accessControlAllowOrigin] = "*"
        }
        headers.append(contentsOf: self.headers)
        if self.isCached(by: request.headers[values: .ifNoneMatch]) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: self.body))
    }

    /// Adds `GET path` answering with this file.
    func serve<Context: RequestContext>(at path: String, on router: Router<Context>) {
        router.get(RouterPath(path)) { request, _ in self.response(to: request) }
    }

    private func isCached(by ifNoneMatch: [String]) -> Bool {
        ifNoneMatch.flatMap { $0.split(separator: ",") }.contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == self.etag || tag == "W/" + self.etag
        }
    }
}
