import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A JSON answer with sorted keys: the one way every route writes its body.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        Self.make(body: Self.body(of: value), status: status)
    }

    /// An answer whose body was encoded beforehand (`body(of:)`), for answers sent over and over.
    static func make(body: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static func body(of value: some Encodable) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data(#"{"success":false}"#.utf8))
    }
}
