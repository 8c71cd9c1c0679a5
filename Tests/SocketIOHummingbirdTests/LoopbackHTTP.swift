import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Plain HTTP/1.1 requests to the test server, answered as status and body text.
enum LoopbackHTTP {
    static func request(_ url: String, method: HTTPMethod = .GET, body: String? = nil) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }
}
