import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A JSON answer with sorted keys: the one way every route writes its body.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(value)) ?? Data(#"{"success":false}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
